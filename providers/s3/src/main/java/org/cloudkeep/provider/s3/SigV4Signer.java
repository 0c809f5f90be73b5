package org.cloudkeep.provider.s3;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.cloudkeep.api.http.PercentCoding;

/**
 * AWS Signature Version 4 for S3 requests sent with an {@code Authorization} header. The URI must already be encoded
 * the S3 way ({@link #uriEncode}): the canonical request takes its raw path and query as they are, so what is signed
 * is exactly what is sent.
 */
final class SigV4Signer {

    /** SHA-256 of no bytes: the payload hash of every request without a body. */
    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final String SERVICE = "s3";
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final String accessKeyId;
    private final String secretAccessKey;
    private final String region;

    SigV4Signer(String accessKeyId, String secretAccessKey, String region) {
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        this.region = region;
    }

    /**
     * The headers that sign a request: {@code x-amz-date}, {@code x-amz-content-sha256} and {@code authorization}.
     *
     * @param headers further headers to sign (for instance {@code range}), lower-case names; {@code host} is derived
     *     from the URI the way the JDK's HTTP client sends it
     * @param payloadHash hex SHA-256 of the body, {@link #EMPTY_SHA256} or {@code UNSIGNED-PAYLOAD}
     */
    Map<String, String> sign(String method, URI uri, Map<String, String> headers, String payloadHash, Instant now) {
        String amzDate = AMZ_DATE.format(now);
        TreeMap<String, String> signed = new TreeMap<>();
        headers.forEach((name, value) -> signed.put(name.toLowerCase(Locale.ROOT), value.strip()));
        signed.put("host", host(uri));
        signed.put("x-amz-content-sha256", payloadHash);
        signed.put("x-amz-date", amzDate);

        StringBuilder canonicalHeaders = new StringBuilder();
        signed.forEach((name, value) ->
                canonicalHeaders.append(name).append(':').append(value).append('\n'));
        String signedHeaders = String.join(";", signed.keySet());
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String canonicalRequest = method + "\n" + path + "\n" + canonicalQuery(uri.getRawQuery()) + "\n"
                + canonicalHeaders + "\n" + signedHeaders + "\n" + payloadHash;

        String day = amzDate.substring(0, 8);
        String scope = day + "/" + region + "/" + SERVICE + "/aws4_request";
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + sha256Hex(canonicalRequest);
        byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), day);
        key = hmac(key, region);
        key = hmac(key, SERVICE);
        key = hmac(key, "aws4_request");
        String signature = HexFormat.of().formatHex(hmac(key, stringToSign));

        Map<String, String> out = new LinkedHashMap<>();
        out.put("x-amz-date", amzDate);
        out.put("x-amz-content-sha256", payloadHash);
        out.put(
                "authorization",
                ALGORITHM + " Credential=" + accessKeyId + "/" + scope + ",SignedHeaders=" + signedHeaders
                        + ",Signature=" + signature);
        return out;
    }

    /**
     * Percent-encodes UTF-8 bytes except the unreserved characters {@code A-Z a-z 0-9 - _ . ~}, as SigV4 wants;
     * {@code '/'} is kept when {@code keepSlash} (object keys in a path), else encoded (query values).
     */
    static String uriEncode(String text, boolean keepSlash) {
        return PercentCoding.encode(text, keepSlash);
    }

    /** The query string with its parameters sorted by name, then value; a bare name gets an empty value. */
    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String> pairs = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (!pair.isEmpty()) {
                pairs.add(pair.indexOf('=') < 0 ? pair + "=" : pair);
            }
        }
        // Sorting "name=value" strings would put "a-b=" before "a=": sort on the name first.
        pairs.sort((x, y) -> {
            int byName = x.substring(0, x.indexOf('=')).compareTo(y.substring(0, y.indexOf('=')));
            return byName != 0 ? byName : x.compareTo(y);
        });
        return String.join("&", pairs);
    }

    /** The Host header as java.net.http sends it: the port only when the URI names one other than the default. */
    static String host(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = port == -1
                || ("http".equalsIgnoreCase(uri.getScheme()) && port == 80)
                || ("https".equalsIgnoreCase(uri.getScheme()) && port == 443);
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String sha256Hex(String text) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }
}
