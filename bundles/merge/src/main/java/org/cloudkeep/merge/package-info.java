/** Merging a traversal's listing into a container's snapshot. */
@Export
@Version("1.0.0")
package org.cloudkeep.merge;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
