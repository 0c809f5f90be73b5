package org.cloudkeep.protocol.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.api.CredentialField;
import org.cloudkeep.api.OAuth2Flow;
import org.cloudkeep.api.OAuth2Request;
import org.cloudkeep.api.ProviderDescriptor;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;
import org.cloudkeep.api.TransientProviderException;
import org.cloudkeep.protocol.internal.Fakes.FakeAccounts;
import org.cloudkeep.protocol.internal.Fakes.FakeGroups;
import org.cloudkeep.protocol.internal.Fakes.FakeProviders;
import org.cloudkeep.protocol.internal.Fakes.FakeTraversals;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /accounts/oauth2} and {@code /accounts/oauth2/complete}: binding an account by OAuth2. */
class OAuth2SignInTest {

    private final FakeAccounts accounts = new FakeAccounts();
    private final FakeProviders providers = new FakeProviders();
    private final Json json = new Json(1_048_576);
    private final DeviceProtocol protocol =
            new DeviceProtocol(accounts, new FakeTraversals(), new FakeGroups(), providers, json);
    private final ObjectMapper reader = new ObjectMapper();
    private String ann;
    private String bob;
    /** What the provider was asked to exchange: the request it got. */
    private OAuth2Request exchanged;

    private ProviderException exchangeFailure;

    @BeforeEach
    void signUp() throws Exception {
        providers.installed.put("signin", new SignInProvider());
        ann = session("ann");
        bob = session("bob");
    }

    @Test
    void aSignInGivesThePagesUrlAndTheCodeBindsTheAccount() throws Exception {
        JsonNode started = call(TestRequest.post("/accounts/oauth2")
                .bearer(ann)
                .json("{\"provider\": \"signin\", \"redirectUri\": \"https://app.example/back\"}"));
        String state = started.get("state").asText();
        URI page = URI.create(started.get("authorizeUrl").asText());
        assertEquals("drive.example", page.getHost());
        assertTrue(page.getQuery().contains("state=" + state), page.toString());
        assertTrue(state.length() >= 32, "an unguessable state: " + state);

        JsonNode bound = call(TestRequest.post("/accounts/oauth2/complete")
                .bearer(ann)
                .json("{\"state\": \"" + state + "\", \"code\": \"good-code\", \"label\": \"My drive\"}"));

        assertTrue(bound.get("accountId").asLong() > 0, bound.toString());
        assertEquals(URI.create("https://app.example/back"), exchanged.redirectUri());
        assertEquals(state, exchanged.state());
        assertEquals(Map.of("accessToken", "token-for-good-code"), accounts.boundCredentials.get(0));
        // The PKCE challenge on the page belongs to the verifier used in the exchange.
        assertTrue(page.getQuery().contains("code_challenge=" + exchanged.codeChallenge()), page.toString());
    }

    @Test
    void aStateIsUsedOnceAndOnlyByItsUser() throws Exception {
        String state = start(ann);
        error(complete(bob, state, "good-code"), 400, "unknown_state");
        assertEquals(201, complete(ann, state, "good-code").status());
        error(complete(ann, state, "good-code"), 400, "unknown_state");
        error(complete(ann, "made-up", "good-code"), 400, "unknown_state");
        assertEquals(1, accounts.boundCredentials.size());
    }

    @Test
    void aRefusedCodeOrAnUnreachableProviderBindsNothing() throws Exception {
        error(complete(ann, start(ann), "bad-code"), 422, "rejected");
        exchangeFailure = new TransientProviderException("connection reset");
        error(complete(ann, start(ann), "good-code"), 502, "provider_failed");
        assertEquals(List.of(), accounts.boundCredentials);
    }

    @Test
    void badStartsAreRefusedClearly() throws Exception {
        error(
                post(ann, "/accounts/oauth2", "{\"provider\": \"signin\", \"redirectUri\": \"javascript:alert(1)\"}"),
                400,
                "invalid_value");
        error(
                post(ann, "/accounts/oauth2", "{\"provider\": \"signin\", \"redirectUri\": \"/relative\"}"),
                400,
                "invalid_value");
        error(
                post(ann, "/accounts/oauth2", "{\"provider\": \"nothing\", \"redirectUri\": \"https://a.example/\"}"),
                422,
                "rejected");
        providers.installed.put("plain", new SignInProvider() {
            @Override
            public Optional<OAuth2Flow> oauth2() {
                return Optional.empty();
            }
        });
        ApiResponse plain =
                post(ann, "/accounts/oauth2", "{\"provider\": \"plain\", \"redirectUri\": \"https://a.example/\"}");
        error(plain, 422, "rejected");
        error(
                post(null, "/accounts/oauth2", "{\"provider\": \"signin\", \"redirectUri\": \"https://a.example/\"}"),
                401,
                "unauthorized");
        error(post(ann, "/accounts/oauth2/complete", "{\"state\": \"x\"}"), 400, "missing_field");
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private String session(String name) throws Exception {
        call(TestRequest.post("/users").json("{\"username\": \"" + name + "\", \"password\": \"correct horse\"}"));
        return call(TestRequest.post("/sessions")
                        .json("{\"username\": \"" + name + "\", \"password\": \"correct horse\"}"))
                .get("token")
                .asText();
    }

    private String start(String token) throws Exception {
        return call(TestRequest.post("/accounts/oauth2")
                        .bearer(token)
                        .json("{\"provider\": \"signin\", \"redirectUri\": \"https://app.example/back\"}"))
                .get("state")
                .asText();
    }

    private ApiResponse complete(String token, String state, String code) {
        return post(
                token,
                "/accounts/oauth2/complete",
                "{\"state\": \"" + state + "\", \"code\": \"" + code + "\", \"label\": \"drive\"}");
    }

    private ApiResponse post(String token, String path, String body) {
        TestRequest request = TestRequest.post(path).json(body);
        return protocol.handle(token == null ? request : request.bearer(token));
    }

    private JsonNode call(TestRequest request) throws Exception {
        ApiResponse response = protocol.handle(request);
        String body = json.toJson(response.body());
        assertTrue(response.status() < 300, () -> response.status() + " " + body);
        return reader.readTree(body);
    }

    private void error(ApiResponse response, int status, String code) throws Exception {
        JsonNode body = reader.readTree(json.toJson(response.body()));
        assertEquals(status, response.status(), body::toString);
        assertEquals(code, body.get("error").asText(), body::toString);
    }

    /** A provider whose OAuth2 flow follows RFC 6749's shape: a page with state and challenge, code → token. */
    private class SignInProvider implements CloudDriveProvider {

        @Override
        public ProviderDescriptor descriptor() {
            return new ProviderDescriptor(
                    "signin",
                    "Sign-in drive",
                    List.of(new CredentialField("accessToken", "Token", true)),
                    List.of(),
                    Set.of());
        }

        @Override
        public ProviderSession connect(Map<String, String> credentials) {
            throw new UnsupportedOperationException("not needed: the fake accounts do not connect");
        }

        @Override
        public Optional<OAuth2Flow> oauth2() {
            return Optional.of(new OAuth2Flow() {
                @Override
                public URI authorizeUri(OAuth2Request request) {
                    return URI.create("https://drive.example/authorize?response_type=code&state=" + request.state()
                            + "&code_challenge=" + request.codeChallenge() + "&code_challenge_method=S256");
                }

                @Override
                public Map<String, String> exchange(OAuth2Request request, String code) throws ProviderException {
                    exchanged = request;
                    if (exchangeFailure != null) {
                        throw exchangeFailure;
                    }
                    if (!code.equals("good-code")) {
                        throw new BadCredentialsException("invalid_grant: the code is wrong or used");
                    }
                    return Map.of("accessToken", "token-for-" + code);
                }
            });
        }
    }
}
