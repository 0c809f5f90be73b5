package org.cloudkeep.provider.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.cloudkeep.api.BadCredentialsException;
import org.cloudkeep.api.ExpiredCredentialsException;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.PermanentProviderException;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.RateLimitedException;
import org.cloudkeep.api.TransientProviderException;
import org.cloudkeep.api.http.RetryAfter;

/** Turns an S3 error answer (status, {@code <Error><Code>}, {@code Retry-After}) into the api's typed exceptions. */
final class S3Errors {

    /** The most bytes of an error body read: enough for any real {@code <Error>}, and a hostile body cannot flood us. */
    static final int MAX_ERROR_BODY = 64 * 1024;

    private S3Errors() {}

    /** What an error body said; either part may be empty. */
    record S3Error(String code, String message) {}

    /**
     * The exception for an answer that is not a success.
     *
     * @param body the error body (read at most {@link #MAX_ERROR_BODY} bytes; may be empty, as for HEAD)
     * @param what the request, for the message
     * @param now the time a {@code Retry-After} date is measured from
     */
    static ProviderException toException(int status, HttpHeaders headers, byte[] body, String what, Instant now) {
        S3Error error = parse(body);
        String code = error.code();
        String detail = what + ": HTTP " + status + (code.isEmpty() ? "" : " " + code)
                + (error.message().isEmpty() ? "" : " (" + error.message() + ")");
        switch (code) {
            case "NoSuchKey", "NoSuchBucket" -> {
                return new NotFoundException(detail);
            }
            case "ExpiredToken", "TokenRefreshRequired" -> {
                return new ExpiredCredentialsException(detail + "; enter fresh credentials");
            }
            case "InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "InvalidToken", "InvalidSecurity" -> {
                return new BadCredentialsException(detail + "; check the access key id and secret");
            }
            case "RequestTimeTooSkewed" -> {
                // The keys are fine: re-entering them would not help, setting the clock does.
                return new PermanentProviderException(
                        detail + "; this machine's clock differs too much from the " + "server's: set it right (NTP)");
            }
            case "SlowDown", "RequestLimitExceeded", "TooManyRequests" -> {
                return new RateLimitedException(detail, retryAfter(headers, now));
            }
            default -> {
                // fall through to the status
            }
        }
        if (status == 401 || status == 403) {
            return new BadCredentialsException(detail + "; check the access key id and secret");
        }
        if (status == 404) {
            return new NotFoundException(detail);
        }
        if (status == 429 || status == 503) {
            return new RateLimitedException(detail, retryAfter(headers, now));
        }
        if (status >= 500 || status == 408) {
            return new TransientProviderException(detail);
        }
        if (status >= 300 && status < 400) {
            String endpoint = headers.firstValue("x-amz-bucket-region")
                    .map(r -> "; the bucket is in region " + r)
                    .orElse("");
            return new PermanentProviderException(detail + endpoint + "; check the endpoint and region");
        }
        return new PermanentProviderException(detail);
    }

    /**
     * How long {@code Retry-After} asks to wait: whole seconds or an HTTP date; {@link Duration#ZERO} when absent,
     * unreadable or past.
     */
    static Duration retryAfter(HttpHeaders headers, Instant now) {
        return RetryAfter.of(headers, now).orElse(Duration.ZERO);
    }

    /** Reads at most {@link #MAX_ERROR_BODY} bytes of an error body, then closes it; an unreadable body is empty. */
    static byte[] readErrorBody(InputStream body) {
        try (InputStream in = body) {
            return in.readNBytes(MAX_ERROR_BODY);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** The {@code Code} and {@code Message} of an {@code <Error>} document; empty parts for anything else. */
    static S3Error parse(byte[] body) {
        if (body.length == 0) {
            return new S3Error("", "");
        }
        String code = "";
        String message = "";
        try {
            XMLStreamReader xml = Xml.reader(new ByteArrayInputStream(body));
            try {
                xml.nextTag();
                if (!xml.getLocalName().equals("Error")) {
                    return new S3Error("", "");
                }
                while (xml.nextTag() == XMLStreamConstants.START_ELEMENT) {
                    switch (xml.getLocalName()) {
                        case "Code" -> code = xml.getElementText().strip();
                        case "Message" -> message = xml.getElementText().strip();
                        default -> Xml.skip(xml);
                    }
                }
            } finally {
                xml.close();
            }
        } catch (XMLStreamException | RuntimeException e) {
            // Not an S3 error document (an HTML page from a proxy, a cut body): what was read so far still counts.
        }
        return new S3Error(code, Xml.printable(message, 300));
    }
}
