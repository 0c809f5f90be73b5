package org.cloudkeep.traversal.internal;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPage;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderDescriptor;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;

/**
 * A big drive computed on the fly, so that a test can walk many entries without holding them:
 * folders {@code /d0 ... /d<folders-1>} with files {@code f0 ... f<files-1>} each.
 */
final class SyntheticDrive implements CloudDriveProvider {

    static final String ID = "synthetic";

    private final int folders;
    private final int files;
    private final int pageSize;

    SyntheticDrive(int folders, int files, int pageSize) {
        this.folders = folders;
        this.files = files;
        this.pageSize = pageSize;
    }

    long entries() {
        return folders + (long) folders * files;
    }

    @Override
    public ProviderDescriptor descriptor() {
        return new ProviderDescriptor(ID, "Synthetic drive", List.of(), List.of(ContentHash.SHA256), Set.of());
    }

    @Override
    public ProviderSession connect(Map<String, String> credentials) {
        return new ProviderSession() {
            @Override
            public EntryPage list(String folder, String pageToken) throws ProviderException {
                int from = pageToken == null ? 0 : Integer.parseInt(pageToken);
                boolean root = folder.equals(EntryPaths.ROOT);
                if (!root && !folder.matches("/d\\d+")) {
                    throw new NotFoundException("no folder " + folder);
                }
                int count = root ? folders : files;
                int to = Math.min(count, from + pageSize);
                List<Entry> page = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    page.add(
                            root
                                    ? Entry.folder("/d" + i, Instant.ofEpochMilli(i))
                                    : Entry.file(
                                            folder + "/f" + i,
                                            i,
                                            Instant.ofEpochMilli(i),
                                            new ContentHash(ContentHash.SHA256, Integer.toHexString(i))));
                }
                return new EntryPage(page, to < count ? Integer.toString(to) : null);
            }

            @Override
            public Entry stat(String path) throws ProviderException {
                if (path.equals(EntryPaths.ROOT)) {
                    return Entry.folder(path, Instant.EPOCH);
                }
                throw new NotFoundException("stat of " + path + " is not needed");
            }

            @Override
            public InputStream open(String path, long offset) throws ProviderException {
                throw new PermanentProviderException("no content");
            }

            @Override
            public void close() {}
        };
    }
}
