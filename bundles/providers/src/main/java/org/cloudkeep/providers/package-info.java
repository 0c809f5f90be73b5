/** The providers installed now, found by id through the service registry. */
@Export
@Version("1.0.0")
package org.cloudkeep.providers;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
