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

/**
 * The module boundaries, as the framework actually wired them in each runtime: the API depends on
 * nothing; a core bundle exports at most its one service-API package, named after it, and never
 * an implementation package; every CloudKeep import is wired to the bundle that package is named
 * after.
 */
class BoundariesIT {

    private static final String API = "cloudkeep.api";

    private final BundleContext context =
            FrameworkUtil.getBundle(BoundariesIT.class).getBundleContext();

    @Test
    void theApiBundleImportsNothing() {
        List<String> imports = new ArrayList<>();
        for (BundleWire wire : wiring(bundle(API)).getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
            imports.add(packageName(wire) + " from " + wire.getProvider().getSymbolicName());
        }
        assertEquals(List.of(), imports, "the API depends on nothing at run time");
    }

    @Test
    void bundlesExportOnlyTheirOwnApiPackage() {
        Set<String> wrong = new TreeSet<>();
        for (Bundle bundle : cloudKeepBundles()) {
            for (var capability : wiring(bundle).getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
                String pkg = String.valueOf(capability.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE));
                if (!ownPackage(pkg, bundle.getSymbolicName())) {
                    wrong.add(bundle.getSymbolicName() + " exports " + pkg);
                }
            }
        }
        assertEquals(Set.of(), wrong);
    }

    @Test
    void everyCloudKeepImportIsWiredToTheBundleItIsNamedAfter() {
        List<String> wrong = new ArrayList<>();
        List<Bundle> bundles = cloudKeepBundles();
        assertFalse(bundles.size() < 5, "found the CloudKeep bundles: " + bundles);
        for (Bundle bundle : bundles) {
            for (BundleWire wire : wiring(bundle).getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
                String pkg = packageName(wire);
                String provider = wire.getProvider().getSymbolicName();
                if (pkg.startsWith("org.cloudkeep.") && !ownPackage(pkg, provider)) {
                    wrong.add(bundle.getSymbolicName() + " imports " + pkg + " from " + provider);
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    /**
     * Whether the package belongs to the bundle: it is the bundle's package or lies below it, and no
     * other CloudKeep bundle is named after a longer part of it (org.cloudkeep.api.http belongs to
     * cloudkeep.api; org.cloudkeep.store.derby to cloudkeep.store.derby, not to cloudkeep.store).
     */
    private boolean ownPackage(String pkg, String symbolicName) {
        String owner = null;
        for (Bundle bundle : cloudKeepBundles()) {
            String own = packageOf(bundle.getSymbolicName());
            if ((pkg.equals(own) || pkg.startsWith(own + "."))
                    && (owner == null || own.length() > packageOf(owner).length())) {
                owner = bundle.getSymbolicName();
            }
        }
        return symbolicName.equals(owner);
    }

    /** cloudkeep.store.derby → org.cloudkeep.store.derby. */
    private static String packageOf(String symbolicName) {
        return "org." + symbolicName;
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

    private Bundle bundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    private static BundleWiring wiring(Bundle bundle) {
        return bundle.adapt(BundleWiring.class);
    }

    private static String packageName(BundleWire wire) {
        return String.valueOf(wire.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE));
    }
}
