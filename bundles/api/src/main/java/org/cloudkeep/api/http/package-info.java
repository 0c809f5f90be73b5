/**
 * Helpers for providers that talk HTTP with the JDK's {@code java.net.http.HttpClient}: a response
 * body with a read timeout ({@link org.cloudkeep.api.http.TimedBody}) and the {@code Retry-After}
 * header ({@link org.cloudkeep.api.http.RetryAfter}). Part of the API bundle, so a provider still
 * depends on the API alone.
 */
@Export
@Version("1.0.0")
package org.cloudkeep.api.http;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
