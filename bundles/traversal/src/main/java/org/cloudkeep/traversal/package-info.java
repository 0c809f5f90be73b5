/** Traversals of containers: scheduled and on demand. */
@Export
@Version("1.0.0")
package org.cloudkeep.traversal;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
