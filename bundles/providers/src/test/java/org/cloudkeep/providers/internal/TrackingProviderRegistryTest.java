package org.cloudkeep.providers.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.api.CredentialField;
import org.cloudkeep.api.ProviderDescriptor;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;
import org.cloudkeep.providers.ProviderRegistry;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;

class TrackingProviderRegistryTest {

    private final TrackingProviderRegistry registry = new TrackingProviderRegistry();
    private final AtomicLong serviceIds = new AtomicLong(100);

    @Test
    void findsAProviderByItsServiceProperty() {
        FakeProvider webdav = new FakeProvider("webdav");
        registry.addProvider(webdav, properties("webdav", null));

        assertSame(webdav, registry.find("webdav").orElseThrow());
        assertTrue(registry.find("s3").isEmpty(), "an id nobody registered is not found");
        assertTrue(registry.find(null).isEmpty());
    }

    @Test
    void fallsBackToTheDescriptorIdWithoutTheProperty() {
        FakeProvider s3 = new FakeProvider("s3");
        registry.addProvider(s3, properties(null, null));

        assertSame(s3, registry.find("s3").orElseThrow());
    }

    @Test
    void theServicePropertyWinsOverTheDescriptorId() {
        FakeProvider provider = new FakeProvider("descriptor-id");
        registry.addProvider(provider, properties("property-id", null));

        assertSame(provider, registry.find("property-id").orElseThrow());
        assertTrue(registry.find("descriptor-id").isEmpty());
    }

    @Test
    void anUnregisteredProviderIsGone() {
        FakeProvider local = new FakeProvider("local");
        Map<String, Object> props = properties("local", null);
        registry.addProvider(local, props);
        registry.removeProvider(local, props);

        assertTrue(registry.find("local").isEmpty());
        assertEquals(List.of(), registry.descriptors());
    }

    @Test
    void theHigherRankingWinsWhateverTheOrder() {
        FakeProvider high = new FakeProvider("dav", "High");
        FakeProvider low = new FakeProvider("dav", "Low");
        Map<String, Object> highProps = properties("dav", 10);
        registry.addProvider(high, highProps);
        registry.addProvider(low, properties("dav", 1)); // registered later, lower ranking

        assertSame(high, registry.find("dav").orElseThrow());
        assertEquals(List.of("High"), displayNames());

        registry.removeProvider(high, highProps);
        assertSame(low, registry.find("dav").orElseThrow(), "the other one takes over when the winner leaves");
        assertEquals(List.of("Low"), displayNames());
    }

    @Test
    void aLaterHigherRankedServiceTakesOver() {
        FakeProvider first = new FakeProvider("dav", "First");
        FakeProvider better = new FakeProvider("dav", "Better");
        registry.addProvider(first, properties("dav", null));
        registry.addProvider(better, properties("dav", 5));

        assertSame(better, registry.find("dav").orElseThrow());
    }

    @Test
    void withEqualRankingTheLowerServiceIdWins() {
        FakeProvider older = new FakeProvider("dav", "Older");
        FakeProvider newer = new FakeProvider("dav", "Newer");
        Map<String, Object> olderProps = properties("dav", 3);
        Map<String, Object> newerProps = properties("dav", 3);
        registry.addProvider(newer, newerProps); // bound first, but registered later
        registry.addProvider(older, olderProps);

        assertSame(older, registry.find("dav").orElseThrow());
    }

    @Test
    void aRankingThatIsNotAnIntegerCountsAsZero() {
        FakeProvider ranked = new FakeProvider("dav", "Ranked");
        FakeProvider odd = new FakeProvider("dav", "Odd");
        registry.addProvider(odd, properties("dav", "99"));
        registry.addProvider(ranked, properties("dav", 1));

        assertSame(ranked, registry.find("dav").orElseThrow());
    }

    @Test
    void aChangedRankingIsTakenIntoAccount() {
        FakeProvider a = new FakeProvider("dav", "A");
        FakeProvider b = new FakeProvider("dav", "B");
        Map<String, Object> aProps = properties("dav", 1);
        Map<String, Object> bProps = properties("dav", 2);
        registry.addProvider(a, aProps);
        registry.addProvider(b, bProps);
        assertSame(b, registry.find("dav").orElseThrow());

        Map<String, Object> aRaised = new HashMap<>(aProps);
        aRaised.put(Constants.SERVICE_RANKING, 7);
        registry.updatedProvider(a, aRaised);
        assertSame(a, registry.find("dav").orElseThrow());
    }

    @Test
    void aChangedProviderIdMovesTheProvider() {
        FakeProvider p = new FakeProvider("old");
        Map<String, Object> props = properties("old", null);
        registry.addProvider(p, props);

        Map<String, Object> renamed = new HashMap<>(props);
        renamed.put(CloudDriveProvider.PROVIDER_ID, "new");
        registry.updatedProvider(p, renamed);

        assertTrue(registry.find("old").isEmpty());
        assertSame(p, registry.find("new").orElseThrow());
    }

    @Test
    void descriptorsAreSortedByIdWithOnePerId() {
        registry.addProvider(new FakeProvider("webdav"), properties("webdav", null));
        registry.addProvider(new FakeProvider("dropbox"), properties("dropbox", null));
        registry.addProvider(new FakeProvider("s3"), properties("s3", null));
        registry.addProvider(new FakeProvider("dropbox", "Shadowed"), properties("dropbox", -1));

        List<String> ids =
                registry.descriptors().stream().map(ProviderDescriptor::id).toList();
        assertEquals(List.of("dropbox", "s3", "webdav"), ids);
        assertEquals(List.of("dropbox", "s3", "webdav"), displayNames(), "the shadowed one is not listed");
    }

    @Test
    void aProviderThatCannotDescribeItselfIsIgnored() {
        CloudDriveProvider broken = new CloudDriveProvider() {
            @Override
            public ProviderDescriptor descriptor() {
                throw new IllegalStateException("not configured");
            }

            @Override
            public ProviderSession connect(Map<String, String> credentials) throws ProviderException {
                throw new BadCredentialsException("never");
            }
        };
        registry.addProvider(broken, properties("broken", null));
        registry.addProvider(new FakeProvider("local"), properties("local", null));

        assertTrue(registry.find("broken").isEmpty());
        assertEquals(List.of("local"), ids(registry));
    }

    @Test
    void concurrentChangesEndConsistent() throws Exception {
        int threads = 8;
        int perThread = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        String id = "p" + thread + "-" + i;
                        FakeProvider p = new FakeProvider(id);
                        Map<String, Object> props = properties(id, null);
                        registry.addProvider(p, props);
                        if (i % 2 == 1) {
                            registry.removeProvider(p, props); // odd ones leave again
                        }
                    }
                    return null;
                }));
            }
            work.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 2_000; i++) {
                    List<ProviderDescriptor> seen = registry.descriptors();
                    for (int k = 1; k < seen.size(); k++) {
                        if (seen.get(k - 1).id().compareTo(seen.get(k).id()) >= 0) {
                            throw new AssertionError("descriptors out of order: " + seen);
                        }
                    }
                }
                return null;
            }));
            start.countDown();
            for (Future<?> f : work) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads * perThread / 2, registry.descriptors().size());
        assertTrue(registry.find("p3-10").isPresent());
        assertTrue(registry.find("p3-11").isEmpty());
    }

    private List<String> displayNames() {
        return registry.descriptors().stream()
                .map(ProviderDescriptor::displayName)
                .toList();
    }

    private static List<String> ids(ProviderRegistry registry) {
        return registry.descriptors().stream().map(ProviderDescriptor::id).toList();
    }

    private Map<String, Object> properties(String providerId, Object ranking) {
        Map<String, Object> props = new HashMap<>();
        props.put(Constants.SERVICE_ID, serviceIds.incrementAndGet());
        if (providerId != null) {
            props.put(CloudDriveProvider.PROVIDER_ID, providerId);
        }
        if (ranking != null) {
            props.put(Constants.SERVICE_RANKING, ranking);
        }
        return Map.copyOf(props);
    }

    /** A provider that only describes itself. */
    private static final class FakeProvider implements CloudDriveProvider {

        private final ProviderDescriptor descriptor;

        FakeProvider(String id) {
            this(id, id);
        }

        FakeProvider(String id, String displayName) {
            this.descriptor = new ProviderDescriptor(
                    id, displayName, List.of(new CredentialField("token", "Token", true)), List.of(), Set.of());
        }

        @Override
        public ProviderDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public ProviderSession connect(Map<String, String> credentials) throws ProviderException {
            throw new BadCredentialsException("a fake provider connects nowhere");
        }
    }
}
