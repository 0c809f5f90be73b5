package org.cloudkeep.provider.local;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.Capability;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.api.CredentialField;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.api.ProviderDescriptor;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;
import org.cloudkeep.api.TransientProviderException;
import org.osgi.service.component.annotations.Component;

/**
 * Serves a folder of the local disk as a cloud drive, for the demo and the tests.
 *
 * <p>An account has one credential, {@value #ROOT_FIELD}: the absolute path of the folder. Files carry a SHA-256
 * hash of their content. Sessions never read outside that folder: see {@link LocalFolderSession}.
 */
@Component(service = CloudDriveProvider.class, property = CloudDriveProvider.PROVIDER_ID + "=" + LocalFolderProvider.ID)
public final class LocalFolderProvider implements CloudDriveProvider {

    /** The provider id, also its service property. */
    public static final String ID = "local";

    /** The name of the one credential: the absolute path of the folder to serve. */
    public static final String ROOT_FIELD = "root";

    /** Entries per page of a listing. */
    static final int PAGE_SIZE = 1000;

    private final ProviderDescriptor descriptor = new ProviderDescriptor(
            ID,
            "Local folder",
            List.of(new CredentialField(ROOT_FIELD, "Folder", false)),
            List.of(ContentHash.SHA256),
            Set.of(Capability.RANGED_READS));

    @Override
    public ProviderDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public ProviderSession connect(Map<String, String> credentials) throws ProviderException {
        return new LocalFolderSession(realFolder(credentials == null ? null : credentials.get(ROOT_FIELD)), PAGE_SIZE);
    }

    /** Checks the folder a user entered and resolves it once, so that every later check compares real paths. */
    private static Path realFolder(String root) throws ProviderException {
        if (root == null || root.isBlank()) {
            throw new BadCredentialsException(
                    "No folder given: enter the absolute path of the folder to serve, for instance /srv/cloudkeep-demo.");
        }
        String quoted = "'" + EntryPaths.printable(root) + "'";
        Path path;
        try {
            path = Path.of(root);
        } catch (InvalidPathException e) {
            throw new BadCredentialsException(
                    "The folder " + quoted + " is not a valid path: " + e.getReason() + ".", e);
        }
        if (!path.isAbsolute()) {
            throw new BadCredentialsException(
                    "The folder " + quoted + " is a relative path; enter an absolute path, starting with '/'.");
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (NoSuchFileException e) {
            throw new BadCredentialsException(
                    "The folder " + quoted + " does not exist; create it or correct the path.", e);
        } catch (AccessDeniedException e) {
            throw new BadCredentialsException(
                    "The folder " + quoted + " cannot be opened: permission denied; let CloudKeep read it.", e);
        } catch (IOException e) {
            throw new TransientProviderException("The folder " + quoted + " cannot be opened: " + e.getMessage(), e);
        }
        if (!Files.isDirectory(real)) {
            throw new BadCredentialsException(
                    "The path " + quoted + " is not a folder; enter the folder that holds the files to serve.");
        }
        return real;
    }
}
