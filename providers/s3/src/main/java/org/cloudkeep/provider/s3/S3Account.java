package org.cloudkeep.provider.s3;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.EntryPaths;

/**
 * One account: a bucket (and optionally a key prefix inside it) at an endpoint, with its keys. Maps provider paths to
 * object keys: {@code /a/b} is {@code <prefix>a/b}, and the folder {@code /a} is every key starting with {@code
 * <prefix>a/}.
 *
 * @param endpoint the service URL without a trailing slash, for instance {@code https://s3.amazonaws.com}
 * @param keyPrefix empty, or the account root inside the bucket ending with {@code '/'}
 */
record S3Account(
        URI endpoint, String region, String bucket, String keyPrefix, String accessKeyId, String secretAccessKey) {

    static final String ENDPOINT = "endpoint";
    static final String REGION = "region";
    static final String BUCKET = "bucket";
    static final String PREFIX = "prefix";
    static final String ACCESS_KEY_ID = "accessKeyId";
    static final String SECRET_ACCESS_KEY = "secretAccessKey";

    static final String DEFAULT_REGION = "us-east-1";

    private static final Pattern REGION_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /**
     * Reads and checks the credentials a user entered.
     *
     * @throws BadCredentialsException naming the field that is missing or wrong
     */
    static S3Account parse(Map<String, String> credentials) throws BadCredentialsException {
        Map<String, String> given = credentials == null ? Map.of() : credentials;
        URI endpoint = endpoint(required(given, ENDPOINT, "the endpoint URL, for instance https://s3.amazonaws.com"));
        String region = optional(given, REGION);
        if (region.isEmpty()) {
            region = DEFAULT_REGION;
        } else if (!REGION_NAME.matcher(region).matches()) {
            throw new BadCredentialsException("The region '" + EntryPaths.printable(region)
                    + "' is not a region name; enter one like us-east-1, or leave it empty");
        }
        String bucket = required(given, BUCKET, "the bucket name");
        if (bucket.indexOf('/') >= 0 || bucket.chars().anyMatch(Character::isISOControl)) {
            throw new BadCredentialsException("The bucket name '" + EntryPaths.printable(bucket)
                    + "' holds a '/' or a control character; enter the bucket's name only");
        }
        String accessKeyId = required(given, ACCESS_KEY_ID, "the access key id");
        if (accessKeyId.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new BadCredentialsException("The access key id holds spaces or control characters; paste it again");
        }
        String secret = given.getOrDefault(SECRET_ACCESS_KEY, "");
        if (secret == null || secret.isEmpty()) {
            throw new BadCredentialsException(
                    "No secret access key given: enter the secret of access key " + accessKeyId);
        }
        return new S3Account(endpoint, region, bucket, keyPrefix(optional(given, PREFIX)), accessKeyId, secret);
    }

    /** The key of the object at a provider path (not the root). */
    String key(String path) {
        return keyPrefix + path.substring(1);
    }

    /** The prefix every key below a folder starts with. */
    String folderPrefix(String folder) {
        return folder.equals(EntryPaths.ROOT) ? keyPrefix : keyPrefix + folder.substring(1) + "/";
    }

    /** The URI of the bucket, or of an object when {@code key} is not null; the query is appended as given. */
    URI uri(String key, String rawQuery) {
        String path = endpoint.getRawPath() + "/" + SigV4Signer.uriEncode(bucket, false)
                + (key == null ? "" : "/" + SigV4Signer.uriEncode(key, true));
        return URI.create(endpoint.getScheme() + "://" + endpoint.getRawAuthority() + path
                + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery));
    }

    @Override
    public String toString() {
        // Never the secret: records print every component, and this one ends up in logs and messages.
        return "bucket " + bucket + (keyPrefix.isEmpty() ? "" : " prefix " + keyPrefix) + " at " + endpoint;
    }

    private static URI endpoint(String value) throws BadCredentialsException {
        String quoted = "'" + EntryPaths.printable(value) + "'";
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new BadCredentialsException("The endpoint " + quoted + " is not a URL: " + e.getReason(), e);
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw new BadCredentialsException("The endpoint " + quoted + " must start with https:// (or http://)");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new BadCredentialsException("The endpoint " + quoted + " must name a host, and no user, "
                    + "for instance https://s3.eu-west-1.amazonaws.com");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new BadCredentialsException("The endpoint " + quoted + " must not have a query or fragment");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(scheme.toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority() + path);
    }

    /** The prefix as a key prefix: leading and trailing slashes dropped, every name checked, one slash at the end. */
    private static String keyPrefix(String prefix) throws BadCredentialsException {
        String trimmed = prefix;
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.isEmpty()) {
            return "";
        }
        for (String name : trimmed.split("/", -1)) {
            if (!EntryPaths.isValidName(name)) {
                throw new BadCredentialsException("The prefix '" + EntryPaths.printable(prefix)
                        + "' holds an empty, '.' or '..' name; enter a folder path like backups/alice");
            }
        }
        return trimmed + "/";
    }

    private static String required(Map<String, String> given, String field, String what)
            throws BadCredentialsException {
        String value = optional(given, field);
        if (value.isEmpty()) {
            throw new BadCredentialsException("No " + field + " given: enter " + what);
        }
        return value;
    }

    private static String optional(Map<String, String> given, String field) {
        String value = given.get(field);
        return value == null ? "" : value.strip();
    }
}
