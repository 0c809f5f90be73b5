package org.cloudkeep.fetcher.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/** {@code GET /api/v1/status} on the device: its state, free space and per-container progress. */
@Component(service = jakarta.servlet.Servlet.class)
@HttpWhiteboardServletPattern("/api/v1/status")
public class StatusServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient ObjectMapper json = new ObjectMapper();
    private final transient Fetcher fetcher;

    @Activate
    public StatusServlet(@Reference Fetcher fetcher) {
        this.fetcher = fetcher;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json; charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        if (!"GET".equals(request.getMethod())) {
            response.setStatus(405);
            response.setHeader("Allow", "GET");
            json.writeValue(
                    response.getOutputStream(),
                    Map.of("error", "method_not_allowed", "message", "/api/v1/status answers GET only"));
            return;
        }
        json.writeValue(response.getOutputStream(), status(fetcher));
    }

    static Map<String, Object> status(Fetcher fetcher) {
        Progress progress = fetcher.progress();
        Settings settings = fetcher.settings();
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("state", progress.state().name());
        status.put("activity", progress.activity().name());
        status.put("message", progress.message());
        status.put("cloud", settings.cloud().map(Object::toString).orElse(null));
        status.put("mode", settings.parallel() ? "PARALLEL" : "SERIAL");
        status.put("freeBytes", progress.freeBytes() < 0 ? null : progress.freeBytes());
        status.put("backupRoot", settings.backupRoot().toString());
        counters(status, progress.total);
        status.put("bytesPerSecond", round(progress.bytesPerSecond()));
        List<Map<String, Object>> containers = new ArrayList<>();
        for (Progress.Container c : progress.containers()) {
            Map<String, Object> container = new LinkedHashMap<>();
            container.put("containerId", c.id());
            container.put("groupNo", c.groupNo() == 0 ? null : c.groupNo());
            container.put("groupFiles", c.groupFiles());
            container.put("groupFilesDone", c.groupFilesDone.get());
            container.put("groupBytes", c.groupBytes());
            container.put("groupBytesDone", c.groupBytesDone.get());
            counters(container, c.total);
            container.put("bytesPerSecond", round(c.bytesPerSecond()));
            container.put("status", c.status());
            container.put("message", c.message());
            container.put("folder", c.folder());
            containers.add(container);
        }
        status.put("containers", containers);
        return status;
    }

    private static void counters(Map<String, Object> into, Progress.Counters counters) {
        into.put("fetchedFiles", counters.fetchedFiles.get());
        into.put("fetchedBytes", counters.fetchedBytes.get());
        into.put("downloadedFiles", counters.downloadedFiles.get());
        into.put("downloadedBytes", counters.downloadedBytes.get());
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
