package org.cloudkeep.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Runs inside each runtime's exact bundle set (see cloud.bndrun and device.bndrun) and checks it
 * the way an operator would: over HTTP, and by dropping a provider jar into the plugins folder.
 */
class RuntimeIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String LOCAL_PROVIDER_BSN = "cloudkeep.provider.local";

    private final BundleContext context =
            FrameworkUtil.getBundle(RuntimeIT.class).getBundleContext();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private URI health;
    private Path plugins;

    @BeforeEach
    void awaitStartedRuntime() throws Exception {
        // The tester may begin while the framework is still starting the last bundles.
        waitFor(() -> notActive().isEmpty());
        assertEquals(List.of(), notActive(), "every bundle started");
        health = endpoint().resolve("/health");
        plugins = Path.of(context.getProperty("felix.fileinstall.dir"));
        assertTrue(Files.isDirectory(plugins), "the plugins folder exists: " + plugins);
    }

    @AfterEach
    void removePlugins() throws Exception {
        try (var files = Files.list(plugins)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        await("the local provider bundle to be uninstalled", () -> bundle(LOCAL_PROVIDER_BSN) == null);
    }

    @Test
    void everyBundleIsActive() {
        assertEquals(List.of(), notActive());
        assertTrue(context.getBundles().length > 20, "the whole runtime is installed");
    }

    private List<String> notActive() {
        List<String> notActive = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders().get("Fragment-Host") != null;
            if (!fragment && b.getState() != Bundle.ACTIVE) {
                notActive.add(b.getSymbolicName() + " is in state " + b.getState());
            }
        }
        return notActive;
    }

    @Test
    void everyCloudKeepComponentIsActive() throws Exception {
        get(health); // the first request makes sure lazy components had a reason to start
        ServiceReference<ServiceComponentRuntime> ref = context.getServiceReference(ServiceComponentRuntime.class);
        ServiceComponentRuntime scr = context.getService(ref);
        try {
            List<String> problems = new ArrayList<>();
            int checked = 0;
            for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
                if (!description.bundle.symbolicName.startsWith("cloudkeep.")) {
                    continue;
                }
                checked++;
                var configurations = scr.getComponentConfigurationDTOs(description);
                if (configurations.isEmpty()) {
                    problems.add(description.name + " has no configuration (disabled?)");
                }
                for (ComponentConfigurationDTO c : configurations) {
                    if (c.state != ComponentConfigurationDTO.ACTIVE) {
                        problems.add(description.name + " is in state " + c.state
                                + (c.failure == null ? "" : ": " + c.failure));
                    }
                }
            }
            assertTrue(checked >= 3, "health, database and lifecycle components were found, saw " + checked);
            assertEquals(List.of(), problems);
        } finally {
            context.ungetService(ref);
        }
    }

    @Test
    void healthSaysUpWithVersionRuntimeAndDatabase() throws Exception {
        HttpResponse<String> response = get(health);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(
                "application/json",
                response.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        JsonNode body = json.readTree(response.body());
        assertEquals("UP", body.get("status").asText());
        assertEquals(
                context.getProperty("cloudkeep.runtime"), body.get("runtime").asText());
        assertEquals(
                bundle("cloudkeep.health").getVersion().toString(),
                body.get("version").asText());
        assertEquals("UP", body.get("database").asText());
        assertTrue(body.get("providers").isArray());
    }

    @Test
    void providerDroppedIntoThePluginsFolderComesAndGoesWhileServing() throws Exception {
        assertFalse(providerIds().contains("local"), "no local provider before the test");
        Path jar = Path.of(context.getProperty("cloudkeep.itest.provider"));
        assertTrue(Files.isRegularFile(jar), "the provider jar to install: " + jar);

        // Copy under a name FileInstall ignores, then rename: it never sees half a jar.
        Path partial = plugins.resolve("local.jar.part");
        Files.copy(jar, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, plugins.resolve("cloudkeep.provider.local.jar"), StandardCopyOption.ATOMIC_MOVE);

        await("the local provider to show in /health", () -> providerIds().contains("local"));
        JsonNode local = provider("local");
        assertEquals("cloudkeep.provider.local", local.get("bundle").asText());
        assertEquals(
                bundle(LOCAL_PROVIDER_BSN).getVersion().toString(),
                local.get("bundleVersion").asText());
        assertEquals(Bundle.ACTIVE, bundle(LOCAL_PROVIDER_BSN).getState());
        assertEquals(
                List.of("org.cloudkeep.api from cloudkeep.api"),
                bundleImports(bundle(LOCAL_PROVIDER_BSN)),
                "a provider depends on the API bundle alone");

        Files.delete(plugins.resolve("cloudkeep.provider.local.jar"));
        await("the local provider to leave /health", () -> !providerIds().contains("local"));
        await("the local provider bundle to be uninstalled", () -> bundle(LOCAL_PROVIDER_BSN) == null);

        assertEquals(200, get(health).statusCode(), "the runtime still serves after the uninstall");
    }

    /** The packages a bundle imports from other bundles (the system bundle's are Java's and OSGi's own). */
    private static List<String> bundleImports(Bundle bundle) {
        List<String> imports = new ArrayList<>();
        for (BundleWire wire : bundle.adapt(BundleWiring.class).getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
            if (wire.getProvider().getBundle().getBundleId() != 0) {
                imports.add(wire.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE) + " from "
                        + wire.getProvider().getSymbolicName());
            }
        }
        return imports;
    }

    private List<String> providerIds() {
        try {
            List<String> ids = new ArrayList<>();
            HttpResponse<String> response = get(health);
            assertEquals(200, response.statusCode(), "/health keeps answering: " + response.body());
            json.readTree(response.body())
                    .get("providers")
                    .forEach(p -> ids.add(p.get("id").asText()));
            return ids;
        } catch (Exception e) {
            throw new AssertionError("/health did not answer: " + e, e);
        }
    }

    private JsonNode provider(String id) throws Exception {
        for (JsonNode p : json.readTree(get(health).body()).get("providers")) {
            if (p.get("id").asText().equals(id)) {
                return p;
            }
        }
        throw new AssertionError("no provider " + id);
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private Bundle bundle(String symbolicName) {
        return Arrays.stream(context.getBundles())
                .filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst()
                .orElse(null);
    }

    /** The HTTP endpoint the runtime listens on; the tests ask for a free port, so it is read back. */
    private URI endpoint() throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            ServiceReference<?>[] refs = context.getAllServiceReferences(null, "(osgi.http.endpoint=*)");
            if (refs != null) {
                for (ServiceReference<?> ref : refs) {
                    Object value = ref.getProperty("osgi.http.endpoint");
                    String first = value instanceof String[] all ? all[0] : String.valueOf(value);
                    URI uri = URI.create(first);
                    if (uri.getPort() > 0) {
                        return uri;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the HTTP runtime published no endpoint with a port within " + WAIT);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        if (!waitFor(condition)) {
            throw new AssertionError("timed out after " + WAIT + " waiting for " + what);
        }
    }

    /** Polls a condition every 100 ms for at most {@link #WAIT}; says whether it came true. */
    private static boolean waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }
}
