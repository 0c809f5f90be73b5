package org.cloudkeep.protocol.internal;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.cloudkeep.accounts.Accounts;
import org.cloudkeep.groups.TaskGroups;
import org.cloudkeep.providers.ProviderRegistry;
import org.cloudkeep.traversal.Traversals;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves device protocol v1 under {@code /api/v1/*} on the HTTP Whiteboard. Its four services are
 * mandatory and static: the servlet is there once all of them are, and leaves when one goes. The
 * servlet only adapts HTTP to {@link DeviceProtocol}, which does the work.
 */
@Component(
        service = jakarta.servlet.Servlet.class,
        configurationPid = ProtocolServlet.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@HttpWhiteboardServletPattern("/api/v1/*")
@Designate(ocd = ProtocolConfig.class)
public class ProtocolServlet extends HttpServlet {

    static final String PID = "cloudkeep.protocol";

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ProtocolServlet.class);

    private final transient Json json;
    private final transient DeviceProtocol protocol;

    @Activate
    public ProtocolServlet(
            @Reference(name = "accounts") Accounts accounts,
            @Reference(name = "traversals") Traversals traversals,
            @Reference(name = "taskGroups") TaskGroups groups,
            @Reference(name = "providers") ProviderRegistry providers,
            ProtocolConfig config) {
        this.json = new Json(config.maxBodyBytes());
        this.protocol = new DeviceProtocol(accounts, traversals, groups, providers, json);
    }

    /** How much of a too-large body is read and dropped so that its sender still gets the 413. */
    private static final long DRAIN_LIMIT_BYTES = 64L << 20;

    /** Every method, PATCH and the like included, goes to the protocol's router. */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ApiResponse answer = protocol.handle(new ServletRequestAdapter(request));
        if (answer.status() == 413) {
            // A client that sends its whole body before it reads (most do) would otherwise see the
            // connection reset instead of the 413; read and drop a bounded amount, then close.
            response.setHeader("Connection", "close");
            discard(request, DRAIN_LIMIT_BYTES);
        }
        response.setStatus(answer.status());
        answer.headers().forEach(response::setHeader);
        if (answer.body() == null) {
            return;
        }
        try {
            OutputStream out = response.getOutputStream();
            json.write(out, answer.body());
            out.flush();
        } catch (IOException e) {
            // Most often the client went away while a large group was written.
            LOG.debug(
                    "Answer to {} /api/v1{} not delivered: {}",
                    request.getMethod(),
                    request.getPathInfo(),
                    e.toString());
        }
    }

    private static void discard(HttpServletRequest request, long limit) {
        byte[] buffer = new byte[64 * 1024];
        long read = 0;
        try (InputStream in = request.getInputStream()) {
            for (int n; read < limit && (n = in.read(buffer)) >= 0; ) {
                read += n;
            }
        } catch (IOException e) {
            // The client stopped sending: it will read the answer, or has gone.
        }
    }

    private record ServletRequestAdapter(HttpServletRequest request) implements ApiRequest {

        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String path() {
            String path = request.getPathInfo();
            return path == null ? "" : path;
        }

        @Override
        public String query() {
            return request.getQueryString();
        }

        @Override
        public String header(String name) {
            return request.getHeader(name);
        }

        @Override
        public long contentLength() {
            return request.getContentLengthLong();
        }

        @Override
        public InputStream body() throws IOException {
            return request.getInputStream();
        }
    }
}
