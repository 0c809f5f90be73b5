package org.cloudkeep.protocol.internal;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.cloudkeep.accounts.Accounts;
import org.cloudkeep.accounts.Container;
import org.cloudkeep.accounts.DeviceRegistration;
import org.cloudkeep.accounts.Principal;
import org.cloudkeep.groups.DeviceStatus;
import org.cloudkeep.groups.ReportResult;
import org.cloudkeep.groups.TaskGroup;
import org.cloudkeep.groups.TaskGroups;
import org.cloudkeep.protocol.internal.Answers.AccountCreated;
import org.cloudkeep.protocol.internal.Answers.ContainerCreated;
import org.cloudkeep.protocol.internal.Answers.ContainerState;
import org.cloudkeep.protocol.internal.Answers.DeviceRegistered;
import org.cloudkeep.protocol.internal.Answers.DeviceState;
import org.cloudkeep.protocol.internal.Answers.Group;
import org.cloudkeep.protocol.internal.Answers.Provider;
import org.cloudkeep.protocol.internal.Answers.ReportAnswer;
import org.cloudkeep.protocol.internal.Answers.SessionOpened;
import org.cloudkeep.protocol.internal.Answers.TraversalRequested;
import org.cloudkeep.protocol.internal.Answers.UserCreated;
import org.cloudkeep.protocol.internal.Requests.FreeSpace;
import org.cloudkeep.protocol.internal.Requests.Login;
import org.cloudkeep.protocol.internal.Requests.NewAccount;
import org.cloudkeep.protocol.internal.Requests.NewDevice;
import org.cloudkeep.protocol.internal.Requests.Report;
import org.cloudkeep.protocol.internal.Router.Found;
import org.cloudkeep.protocol.internal.Router.Match;
import org.cloudkeep.protocol.internal.Router.NoRoute;
import org.cloudkeep.protocol.internal.Router.WrongMethod;
import org.cloudkeep.providers.ProviderRegistry;
import org.cloudkeep.traversal.Traversals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device protocol v1: routes a request, checks its bearer token, reads its body and calls the
 * services. {@link #handle} never throws; every failure becomes an answer through {@link Errors}.
 * Free of the servlet API, so that the whole protocol can be tested without a servlet container.
 */
final class DeviceProtocol {

    /** The longest a {@code groups/next} answer waits for a group ({@code waitSeconds}). */
    static final int MAX_WAIT_SECONDS = 60;
    /** How often a waiting {@code groups/next} looks for a group again. */
    static final long WAIT_STEP_MILLIS = 200;

    private static final Logger LOG = LoggerFactory.getLogger(DeviceProtocol.class);

    /** Who may make a call. */
    enum Access {
        /** Anyone. */
        PUBLIC,
        /** A user's session token. */
        USER,
        /** A device token. */
        DEVICE
    }

    private final Accounts accounts;
    private final Traversals traversals;
    private final TaskGroups groups;
    private final ProviderRegistry providers;
    private final Json json;
    private final Router<Route> router = new Router<>();
    private final OAuth2Flows signIns;

    DeviceProtocol(Accounts accounts, Traversals traversals, TaskGroups groups, ProviderRegistry providers, Json json) {
        this.accounts = accounts;
        this.traversals = traversals;
        this.groups = groups;
        this.providers = providers;
        this.json = json;
        this.signIns = new OAuth2Flows(providers, java.time.Clock.systemUTC());
        route("POST", "/users", Access.PUBLIC, this::createUser);
        route("POST", "/sessions", Access.PUBLIC, this::openSession);
        route("POST", "/devices", Access.USER, this::registerDevice);
        route("GET", "/providers", Access.PUBLIC, this::listProviders);
        route("POST", "/accounts", Access.USER, this::createAccount);
        route("POST", "/accounts/oauth2", Access.USER, this::startSignIn);
        route("POST", "/accounts/oauth2/complete", Access.USER, this::completeSignIn);
        route("POST", "/containers", Access.USER, this::createContainer);
        route("GET", "/containers/{id}", Access.USER, this::showContainer);
        route("POST", "/containers/{id}/traversals", Access.USER, this::requestTraversal);
        route("POST", "/device/status", Access.DEVICE, this::deviceStatus);
        route("POST", "/device/groups/next", Access.DEVICE, this::nextGroup);
        route("POST", "/device/reports", Access.DEVICE, this::report);
    }

    private void route(String method, String pattern, Access access, Handler handler) {
        router.add(method, pattern, new Route(access, handler));
    }

    /** The answer to a request; never throws. */
    ApiResponse handle(ApiRequest request) {
        try {
            Match<Route> match = router.match(request.method(), request.path());
            if (match instanceof NoRoute<Route>) {
                throw ApiException.notFound("protocol v1 has no " + request.method() + " /api/v1" + request.path());
            }
            if (match instanceof WrongMethod<Route> wrong) {
                String allowed = String.join(", ", wrong.allowed());
                throw new ApiException(
                        405,
                        "method_not_allowed",
                        "/api/v1" + request.path() + " answers " + allowed + ", not " + request.method(),
                        Map.of(),
                        Map.of("Allow", allowed));
            }
            Found<Route> found = (Found<Route>) match;
            Principal principal = authorize(found.handler().access(), request);
            return found.handler().handler().handle(new Call(request, principal, found.params()));
        } catch (Exception e) {
            return Errors.toResponse(e, request);
        }
    }

    // --- the calls -------------------------------------------------------------------------------

    private ApiResponse createUser(Call call) throws Exception {
        Login login = call.body(Login.class);
        char[] password = login.password().toCharArray();
        try {
            return ApiResponse.of(201, new UserCreated(accounts.createUser(login.username(), password)));
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private ApiResponse openSession(Call call) throws Exception {
        Login login = call.body(Login.class);
        char[] password = login.password().toCharArray();
        try {
            return ApiResponse.of(200, new SessionOpened(accounts.openSession(login.username(), password)));
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private ApiResponse registerDevice(Call call) throws Exception {
        NewDevice device = call.body(NewDevice.class);
        DeviceRegistration registration = accounts.registerDevice(call.userId(), device.serial(), device.name());
        return ApiResponse.of(201, new DeviceRegistered(registration.deviceId(), registration.deviceToken()));
    }

    private ApiResponse listProviders(Call call) {
        List<Provider> installed =
                providers.descriptors().stream().map(Provider::of).toList();
        return ApiResponse.of(200, installed);
    }

    private ApiResponse createAccount(Call call) throws Exception {
        NewAccount account = call.body(NewAccount.class);
        long id = accounts.createAccount(call.userId(), account.provider(), account.label(), account.credentials());
        return ApiResponse.of(201, new AccountCreated(id));
    }

    private ApiResponse startSignIn(Call call) throws Exception {
        Requests.NewSignIn body = call.body(Requests.NewSignIn.class);
        Map.Entry<java.net.URI, String> started = signIns.start(call.userId(), body.provider(), body.redirectUri());
        return ApiResponse.of(200, new Answers.SignInStarted(started.getKey().toString(), started.getValue()));
    }

    private ApiResponse completeSignIn(Call call) throws Exception {
        Requests.SignInCompletion body = call.body(Requests.SignInCompletion.class);
        OAuth2Flows.Signed signed = signIns.complete(call.userId(), body.state(), body.code());
        long id = accounts.createAccount(call.userId(), signed.provider(), body.label(), signed.credentials());
        return ApiResponse.of(201, new AccountCreated(id));
    }

    private ApiResponse createContainer(Call call) throws Exception {
        Requests.NewContainer body = call.body(Requests.NewContainer.class);
        long id = accounts.createContainer(
                call.userId(),
                new org.cloudkeep.accounts.NewContainer(
                        body.accountId(),
                        body.deviceId(),
                        body.folders(),
                        body.groupSize(),
                        body.traverseEveryHours()));
        try {
            traversals.requestNow(id);
        } catch (RuntimeException e) {
            // The container exists and its first traversal is due at once; the scheduler finds it anyway.
            LOG.warn("Container {} was created but its first traversal could not be started now", id, e);
        }
        return ApiResponse.of(201, new ContainerCreated(id));
    }

    private ApiResponse showContainer(Call call) {
        Container container = call.ownContainer();
        return ApiResponse.of(200, ContainerState.of(container, groups.progress(container.id())));
    }

    private ApiResponse requestTraversal(Call call) {
        Container container = call.ownContainer();
        traversals.requestNow(container.id());
        return ApiResponse.of(202, new TraversalRequested(container.id()));
    }

    private ApiResponse deviceStatus(Call call) throws Exception {
        FreeSpace space = call.body(FreeSpace.class);
        DeviceStatus status = groups.status(call.deviceId(), space.freeBytes());
        return ApiResponse.of(200, new DeviceState(status.state(), status.recheckSeconds()));
    }

    private ApiResponse nextGroup(Call call) throws Exception {
        boolean all = call.flag("all");
        int waitSeconds = call.integer("waitSeconds", 0, MAX_WAIT_SECONDS, 0);
        FreeSpace space = call.body(FreeSpace.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        // New groups only come with a new snapshot (a merged traversal), so while the device's
        // containers keep their snapshot numbers only they are read again: asking for a group would
        // also record the free space, a write every step for as long as the device waits. They are
        // read before the first ask, so that a merge committed during it is not missed.
        Map<Long, Integer> seen = waitSeconds == 0 ? Map.of() : snapshots(call.deviceId());
        ApiResponse answer = nextGroup(call.deviceId(), space.freeBytes(), all);
        if (answer.status() != 204 || waitSeconds == 0) {
            return answer;
        }
        while (System.nanoTime() < deadline && pause()) {
            Map<Long, Integer> now = snapshots(call.deviceId());
            if (!now.equals(seen)) {
                answer = nextGroup(call.deviceId(), space.freeBytes(), all);
                if (answer.status() != 204) {
                    return answer;
                }
                seen = now;
            }
        }
        return answer;
    }

    /** The snapshot number of each of the device's containers. */
    private Map<Long, Integer> snapshots(long deviceId) {
        Map<Long, Integer> snapshots = new HashMap<>();
        for (Container container : accounts.containersOfDevice(deviceId)) {
            snapshots.put(container.id(), container.snapshot());
        }
        return snapshots;
    }

    private ApiResponse nextGroup(long deviceId, long freeBytes, boolean all) throws Exception {
        if (all) {
            List<TaskGroup> each = groups.nextOfEach(deviceId, freeBytes);
            return each.isEmpty()
                    ? ApiResponse.noContent()
                    : ApiResponse.of(200, each.stream().map(Group::of).toList());
        }
        Optional<TaskGroup> next = groups.next(deviceId, freeBytes);
        return next.map(group -> ApiResponse.of(200, Group.of(group))).orElseGet(ApiResponse::noContent);
    }

    /**
     * Waits one step of a {@code waitSeconds} answer. The database is read again rather than a
     * merge announced: a merge on another cloud node (shared PostgreSQL) is seen the same way. False
     * when the runtime is stopping.
     */
    private static boolean pause() {
        try {
            Thread.sleep(WAIT_STEP_MILLIS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private ApiResponse report(Call call) throws Exception {
        Report report = call.body(Report.class);
        ReportResult result = groups.report(
                call.deviceId(),
                report.containerId(),
                report.groupNo(),
                report.fetched(),
                report.missing(),
                report.freeBytes());
        return ApiResponse.of(200, new ReportAnswer(result.ok(), result.state()));
    }

    // --- tokens ----------------------------------------------------------------------------------

    private Principal authorize(Access access, ApiRequest request) {
        if (access == Access.PUBLIC) {
            return null;
        }
        String header = request.header("Authorization");
        String wanted = access == Access.USER
                ? "a session token from POST /api/v1/sessions"
                : "the device token from POST /api/v1/devices";
        if (header == null || header.isBlank()) {
            throw unauthorized("this call needs Authorization: Bearer <token>, with " + wanted, "Bearer");
        }
        String token = header.strip();
        if (token.length() < 7 || !token.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized("use Authorization: Bearer <token>, with " + wanted, "Bearer");
        }
        token = token.substring(7).strip();
        Optional<Principal> principal = token.isEmpty() ? Optional.empty() : accounts.authenticate(token);
        if (principal.isEmpty()) {
            throw unauthorized(
                    "the token is unknown, expired or revoked; get a new one (" + wanted + ")",
                    "Bearer error=\"invalid_token\"");
        }
        if (access == Access.USER && principal.get().device()) {
            throw new ApiException(403, "forbidden", "this call is a user's: use " + wanted + ", not a device token");
        }
        if (access == Access.DEVICE && !principal.get().device()) {
            throw new ApiException(
                    403, "forbidden", "this call is a device's: use " + wanted + ", not a session token");
        }
        return principal.get();
    }

    private static ApiException unauthorized(String message, String challenge) {
        return new ApiException(401, "unauthorized", message, Map.of(), Map.of("WWW-Authenticate", challenge));
    }

    // --- plumbing --------------------------------------------------------------------------------

    @FunctionalInterface
    interface Handler {
        ApiResponse handle(Call call) throws Exception;
    }

    record Route(Access access, Handler handler) {}

    /** One request on its way through a handler. */
    final class Call {

        private final ApiRequest request;
        private final Principal principal;
        private final Map<String, String> params;

        Call(ApiRequest request, Principal principal, Map<String, String> params) {
            this.request = request;
            this.principal = principal;
            this.params = params;
        }

        <T> T body(Class<T> type) throws IOException {
            return json.read(request, type);
        }

        long userId() {
            return principal.userId();
        }

        long deviceId() {
            return principal.deviceId();
        }

        /** The caller's container named by the path; 404 for one that is not theirs, as for none. */
        Container ownContainer() {
            String id = params.get("id");
            long containerId;
            try {
                containerId = Long.parseLong(id);
            } catch (NumberFormatException e) {
                throw ApiException.notFound("no container " + id);
            }
            return accounts.container(userId(), containerId)
                    .orElseThrow(() -> ApiException.notFound("no container " + id));
        }

        /** A whole-number query parameter within bounds; {@code absent} when it is not given. */
        int integer(String name, int min, int max, int absent) {
            String value = query(name);
            if (value == null) {
                return absent;
            }
            try {
                int n = Integer.parseInt(value);
                // ASCII digits only: parseInt also takes a sign and the digits of other scripts.
                if (n >= min && n <= max && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw ApiException.badRequest(
                    "invalid_value",
                    "query parameter '" + name + "' must be a whole number from " + min + " to " + max + ", not '"
                            + value + "'");
        }

        /** A true/false query parameter; absent is false. */
        boolean flag(String name) {
            String value = query(name);
            if (value == null || value.equalsIgnoreCase("false")) {
                return false;
            }
            if (value.equalsIgnoreCase("true")) {
                return true;
            }
            throw ApiException.badRequest(
                    "invalid_value", "query parameter '" + name + "' must be true or false, not '" + value + "'");
        }

        private String query(String name) {
            String query = request.query();
            if (query == null || query.isEmpty()) {
                return null;
            }
            for (String pair : query.split("&")) {
                String[] parts = pair.split("=", 2);
                try {
                    if (URLDecoder.decode(parts[0], StandardCharsets.UTF_8).equals(name)) {
                        return parts.length == 2 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
                    }
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("invalid_value", "the query string is not URL-encoded properly");
                }
            }
            return null;
        }
    }
}
