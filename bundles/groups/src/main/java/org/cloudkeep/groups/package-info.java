/** Task groups, device reports and device state. */
@Export
@Version("1.1.0")
package org.cloudkeep.groups;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
