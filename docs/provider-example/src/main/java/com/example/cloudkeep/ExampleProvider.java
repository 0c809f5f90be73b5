package com.example.cloudkeep;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.Capability;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.api.CredentialField;
import org.cloudkeep.api.ProviderDescriptor;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;
import org.osgi.service.component.annotations.Component;

/** A provider that serves one folder of the local disk: the smallest complete provider. */
@Component(property = CloudDriveProvider.PROVIDER_ID + "=" + ExampleProvider.ID)
public class ExampleProvider implements CloudDriveProvider {

    static final String ID = "example";
    static final String ROOT = "root";

    private static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor(
            ID,
            "Example: a local folder",
            List.of(new CredentialField(ROOT, "Folder", false)),
            List.of(), // no hash: size and modified time say whether a file changed
            Set.of(Capability.RANGED_READS));

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ProviderSession connect(Map<String, String> credentials) throws ProviderException {
        String root = credentials.get(ROOT);
        if (root == null || !Path.of(root).isAbsolute() || !Files.isDirectory(Path.of(root))) {
            throw new BadCredentialsException("'" + root + "' is not an existing folder given by its absolute path");
        }
        return new ExampleSession(Path.of(root));
    }
}
