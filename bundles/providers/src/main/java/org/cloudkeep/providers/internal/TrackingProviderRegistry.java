package org.cloudkeep.providers.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.api.ProviderDescriptor;
import org.cloudkeep.providers.ProviderRegistry;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The providers installed now, tracked through the service registry. Each {@link CloudDriveProvider}
 * service is known by its {@value CloudDriveProvider#PROVIDER_ID} service property, or by its
 * descriptor's id when the property is missing. When two services claim one id, the one with the
 * higher service ranking wins, then the one registered first (lower service id); when the winner
 * leaves, the next one takes its place.
 *
 * <p>Thread-safe: bind, unbind and update are serialised and publish an immutable view; lookups
 * read that view without locking.
 */
@Component(service = ProviderRegistry.class)
public class TrackingProviderRegistry implements ProviderRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(TrackingProviderRegistry.class);

    /** Highest ranking first, then lowest service id. */
    private static final Comparator<Registration> PRECEDENCE =
            Comparator.comparingInt(Registration::ranking).reversed().thenComparingLong(Registration::serviceId);

    /** Every registration bound now, by service id; guarded by {@code this}. */
    private final Map<Long, Registration> registrations = new HashMap<>();

    /** The winner of each id, sorted by id; replaced whole on every change. */
    private volatile View view = View.EMPTY;

    @Reference(
            service = CloudDriveProvider.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "removeProvider",
            updated = "updatedProvider")
    void addProvider(CloudDriveProvider provider, Map<String, Object> properties) {
        Registration registration = Registration.of(provider, properties);
        if (registration == null) {
            return;
        }
        synchronized (this) {
            registrations.put(registration.serviceId(), registration);
            publish();
        }
        LOG.info(
                "Provider '{}' ({}) registered as service {}",
                registration.id(),
                registration.descriptor().displayName(),
                registration.serviceId());
    }

    void updatedProvider(CloudDriveProvider provider, Map<String, Object> properties) {
        Registration registration = Registration.of(provider, properties);
        synchronized (this) {
            if (registration == null) {
                registrations.remove(serviceId(properties));
            } else {
                registrations.put(registration.serviceId(), registration);
            }
            publish();
        }
    }

    void removeProvider(CloudDriveProvider provider, Map<String, Object> properties) {
        Registration removed;
        synchronized (this) {
            removed = registrations.remove(serviceId(properties));
            publish();
        }
        if (removed != null) {
            LOG.info("Provider '{}' of service {} unregistered", removed.id(), removed.serviceId());
        }
    }

    @Override
    public Optional<CloudDriveProvider> find(String providerId) {
        if (providerId == null) {
            return Optional.empty();
        }
        Registration winner = view.byId().get(providerId);
        return winner == null ? Optional.empty() : Optional.of(winner.provider());
    }

    @Override
    public List<ProviderDescriptor> descriptors() {
        return view.descriptors();
    }

    /** Recomputes the winners; called with the lock held. */
    private void publish() {
        Map<String, List<Registration>> claims = new HashMap<>();
        for (Registration r : registrations.values()) {
            claims.computeIfAbsent(r.id(), id -> new ArrayList<>()).add(r);
        }
        Map<String, Registration> winners = new LinkedHashMap<>();
        claims.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(claim -> {
            List<Registration> rivals = claim.getValue();
            rivals.sort(PRECEDENCE);
            Registration winner = rivals.get(0);
            Registration before = view.byId().get(claim.getKey());
            if (rivals.size() > 1 && (before == null || before.serviceId() != winner.serviceId())) {
                LOG.warn(
                        "{} services claim provider id '{}'; service {} (ranking {}) is used",
                        rivals.size(),
                        claim.getKey(),
                        winner.serviceId(),
                        winner.ranking());
            }
            winners.put(claim.getKey(), winner);
        });
        view = new View(
                Map.copyOf(winners),
                winners.values().stream().map(Registration::descriptor).toList());
    }

    private static long serviceId(Map<String, Object> properties) {
        Object id = properties.get(Constants.SERVICE_ID);
        if (!(id instanceof Number number)) {
            throw new IllegalArgumentException("a service without " + Constants.SERVICE_ID + ": " + properties);
        }
        return number.longValue();
    }

    /** One bound service; the descriptor is read once, when it binds. */
    private record Registration(
            String id, long serviceId, int ranking, CloudDriveProvider provider, ProviderDescriptor descriptor) {

        /** The registration, or {@code null} (logged) when the provider cannot even describe itself. */
        static Registration of(CloudDriveProvider provider, Map<String, Object> properties) {
            long serviceId = TrackingProviderRegistry.serviceId(properties);
            ProviderDescriptor descriptor;
            try {
                descriptor = provider.descriptor();
            } catch (RuntimeException e) {
                LOG.error("Provider service {} is ignored: its descriptor() failed", serviceId, e);
                return null;
            }
            if (descriptor == null) {
                LOG.error("Provider service {} is ignored: its descriptor() answered null", serviceId);
                return null;
            }
            Object property = properties.get(CloudDriveProvider.PROVIDER_ID);
            String id = property instanceof String s && !s.isBlank() ? s : descriptor.id();
            if (!id.equals(descriptor.id())) {
                LOG.warn(
                        "Provider service {} has {}={} but its descriptor says '{}'; it is found as '{}'",
                        serviceId,
                        CloudDriveProvider.PROVIDER_ID,
                        id,
                        descriptor.id(),
                        id);
            }
            // OSGi: a service.ranking that is not an Integer counts as 0.
            int ranking = properties.get(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
            return new Registration(id, serviceId, ranking, provider, descriptor);
        }
    }

    /** What lookups read: the winner of each id, and their descriptors sorted by id. */
    private record View(Map<String, Registration> byId, List<ProviderDescriptor> descriptors) {
        static final View EMPTY = new View(Map.of(), List.of());
    }
}
