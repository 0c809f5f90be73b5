package org.cloudkeep.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/** The module boundaries, as the framework actually wired them in each runtime. */
class BoundariesIT {

    private static final String API = "cloudkeep.api";

    private final BundleContext context =
            FrameworkUtil.getBundle(BoundariesIT.class).getBundleContext();

    @Test
    void theApiBundleImportsNothing() {
        BundleWiring api = wiring(API);
        List<String> imports = new ArrayList<>();
        for (BundleWire wire : api.getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
            imports.add(packageName(wire) + " from " + wire.getProvider().getSymbolicName());
        }
        assertEquals(List.of(), imports, "the API depends on nothing at run time");
    }

    @Test
    void onlyTheApiExportsCloudKeepPackages() {
        Set<String> exported = new TreeSet<>();
        for (Bundle bundle : cloudKeepBundles()) {
            for (var capability :
                    bundle.adapt(BundleWiring.class).getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
                exported.add(bundle.getSymbolicName() + " exports "
                        + capability.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE));
            }
        }
        assertEquals(Set.of(API + " exports org.cloudkeep.api"), exported);
    }

    @Test
    void everyCloudKeepImportIsWiredToTheApi() {
        List<String> wrong = new ArrayList<>();
        List<Bundle> bundles = cloudKeepBundles();
        assertFalse(bundles.size() < 4, "found the CloudKeep bundles: " + bundles);
        for (Bundle bundle : bundles) {
            for (BundleWire wire :
                    bundle.adapt(BundleWiring.class).getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
                String pkg = packageName(wire);
                String provider = wire.getProvider().getSymbolicName();
                if (pkg.startsWith("org.cloudkeep.") && !provider.equals(API)) {
                    wrong.add(bundle.getSymbolicName() + " imports " + pkg + " from " + provider);
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    private List<Bundle> cloudKeepBundles() {
        List<Bundle> bundles = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            String name = bundle.getSymbolicName();
            if (name != null && name.startsWith("cloudkeep.") && !name.equals("cloudkeep.itests")) {
                bundles.add(bundle);
            }
        }
        return bundles;
    }

    private BundleWiring wiring(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle.adapt(BundleWiring.class);
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    private static String packageName(BundleWire wire) {
        return String.valueOf(wire.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE));
    }
}
