package org.cloudkeep.health;

import java.util.List;

/**
 * The body of {@code GET /health}.
 *
 * @param status {@code UP} while the runtime serves; {@code DEGRADED} when its database is missing
 *     or broken
 * @param runtime which runtime answers: {@code cloud} or {@code device}
 * @param version the CloudKeep version
 * @param database {@code UP}, {@code DOWN} or {@code MISSING}
 * @param providers the providers installed now, by id
 */
record HealthReport(String status, String runtime, String version, String database, List<InstalledProvider> providers) {

    /**
     * @param id the provider id
     * @param name its display name
     * @param bundle the symbolic name of the bundle that brought it
     * @param bundleVersion that bundle's version
     */
    record InstalledProvider(String id, String name, String bundle, String bundleVersion) {}
}
