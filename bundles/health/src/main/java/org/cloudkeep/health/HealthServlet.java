package org.cloudkeep.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.health.HealthReport.InstalledProvider;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * Answers {@code GET /health}. Providers are tracked dynamically, so a provider bundle dropped into
 * the plugins folder shows here as soon as its service registers, and leaves when it unregisters.
 */
@Component(service = jakarta.servlet.Servlet.class)
@HttpWhiteboardServletPattern("/health")
public class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    /** The framework property each runtime's run descriptor sets: {@code cloud} or {@code device}. */
    static final String RUNTIME_PROPERTY = "cloudkeep.runtime";

    private final transient ObjectMapper json = new ObjectMapper();
    private final transient Map<ServiceReference<?>, InstalledProvider> providers = new ConcurrentHashMap<>();
    private final String runtime;
    private final String version;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DataSource database;

    @Activate
    public HealthServlet(BundleContext context) {
        String configured = context.getProperty(RUNTIME_PROPERTY);
        this.runtime = configured == null ? "unknown" : configured;
        this.version = context.getBundle().getVersion().toString();
    }

    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addProvider(CloudDriveProvider provider, ServiceReference<CloudDriveProvider> ref) {
        var descriptor = provider.descriptor();
        var bundle = ref.getBundle();
        providers.put(
                ref,
                new InstalledProvider(
                        descriptor.id(),
                        descriptor.displayName(),
                        bundle == null ? "" : bundle.getSymbolicName(),
                        bundle == null ? "" : bundle.getVersion().toString()));
    }

    void removeProvider(ServiceReference<CloudDriveProvider> ref) {
        providers.remove(ref);
    }

    HealthReport report() {
        String db = databaseState();
        List<InstalledProvider> installed = providers.values().stream()
                .sorted(Comparator.comparing(InstalledProvider::id))
                .toList();
        return new HealthReport("UP".equals(db) ? "UP" : "DEGRADED", runtime, version, db, installed);
    }

    private String databaseState() {
        DataSource current = database;
        if (current == null) {
            return "MISSING";
        }
        try (Connection connection = current.getConnection()) {
            return connection.isValid(2) ? "UP" : "DOWN";
        } catch (SQLException e) {
            return "DOWN";
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HealthReport report = report();
        response.setStatus("UP".equals(report.status()) ? 200 : 503);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        json.writeValue(response.getOutputStream(), report);
    }
}
