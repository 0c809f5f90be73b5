/** Putting verified downloads under a container's backup folder, safely and resumably. */
@Export
@Version("1.1.0")
package org.cloudkeep.backupfolder;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
