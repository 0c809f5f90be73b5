/**
 * The CloudKeep provider SPI: what a cloud-drive provider plugin implements ({@link
 * org.cloudkeep.api.CloudDriveProvider}, {@link org.cloudkeep.api.ProviderSession}) and the
 * immutable values it exchanges with the core.
 *
 * <p>A provider is a Declarative Services component registering {@link
 * org.cloudkeep.api.CloudDriveProvider} with the service property {@value
 * org.cloudkeep.api.CloudDriveProvider#PROVIDER_ID}. The core finds providers only through the
 * service registry, so a provider bundle can be installed and uninstalled while the runtime runs.
 *
 * <p>Paths are provider-relative, {@code /}-separated and start with {@code /}; {@link
 * org.cloudkeep.api.EntryPaths} checks them. Errors are the subclasses of {@link
 * org.cloudkeep.api.ProviderException}, each saying what kind of failure it is.
 */
@Export
@Version("1.1.0")
package org.cloudkeep.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
