/**
 * The database of a runtime, once its schema is current. Core bundles use {@link
 * org.cloudkeep.store.Database}; providers never do.
 */
@Export
@Version("1.1.0")
package org.cloudkeep.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
