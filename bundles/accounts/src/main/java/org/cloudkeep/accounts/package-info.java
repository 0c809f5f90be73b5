/** Users, tokens, devices, provider accounts and containers. */
@Export
@Version("1.1.0")
package org.cloudkeep.accounts;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
