package org.cloudkeep.fetcher.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.cloudkeep.providers.ProviderRegistry;

/**
 * Containers the device cannot fetch for now — their provider is not installed here, or it
 * refused the account — and until when. A block ends early when the missing provider is
 * installed, or when a group comes with other credentials (the account may have been bound anew).
 */
final class Blocks {

    /** @param provider set when the block ends as soon as that provider is installed */
    record Block(String reason, Instant until, int credentials, String provider) {}

    /** How often a container waiting for its provider is looked at again. */
    private static final Duration PROVIDER_CHECK = Duration.ofSeconds(5);

    private final Map<Long, Block> blocks = new ConcurrentHashMap<>();
    private final ProviderRegistry providers;

    Blocks(ProviderRegistry providers) {
        this.providers = providers;
    }

    void block(Wire.Group group, String reason, Duration howLong) {
        blocks.put(
                group.containerId(),
                new Block(
                        reason, Instant.now().plus(howLong), group.credentials().hashCode(), null));
    }

    /** Blocks a container whose provider is not installed, until it is (or the time is up). */
    void blockUntilInstalled(Wire.Group group, String reason, Duration howLong) {
        blocks.put(
                group.containerId(),
                new Block(
                        reason, Instant.now().plus(howLong), group.credentials().hashCode(), group.provider()));
    }

    /** Why the group's container cannot be fetched now, if it cannot. */
    Optional<String> blocked(Wire.Group group) {
        Block block = blocks.get(group.containerId());
        if (block == null) {
            return Optional.empty();
        }
        if (Instant.now().isAfter(block.until())
                || block.credentials() != group.credentials().hashCode()
                || block.provider() != null && providers.find(block.provider()).isPresent()) {
            blocks.remove(group.containerId(), block);
            return Optional.empty();
        }
        return Optional.of(block.reason());
    }

    /** How long until the first block ends, at least a second. */
    Duration soonestEnd() {
        Instant now = Instant.now();
        return blocks.values().stream()
                .map(b -> b.provider() != null ? PROVIDER_CHECK : Duration.between(now, b.until()))
                .min(Duration::compareTo)
                .map(d -> d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d)
                .orElse(Duration.ofSeconds(1));
    }
}
