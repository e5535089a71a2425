package dev.netmeta.local.testing;

import dev.netmeta.local.testing.RecordingHttpsProxy.Recorded;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An AWS Signature Version 4 header as a server receives it, checked the way the AWS service does it — written here
 * from the published algorithm (canonical request, string to sign, derived key), independent of the SDK that signed
 * the request: what the service recomputes from the request that arrived must equal the signature the client sent.
 */
public record SigV4Signature(String accessKeyId, String date, String region, String service, List<String> signedHeaders,
                             String signature) {

    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request, "
                    + "SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})");

    /** @throws IllegalArgumentException when the header is missing or not a SigV4 {@code Authorization} header */
    public static SigV4Signature of(Recorded request) {
        String header = request.header("Authorization");
        Matcher m = header == null ? null : AUTHORIZATION.matcher(header);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("not an AWS4-HMAC-SHA256 Authorization header: " + header);
        }
        return new SigV4Signature(m.group(1), m.group(2), m.group(3), m.group(4), List.of(m.group(5).split(";")),
                m.group(6));
    }

    /** Whether the signature is the one the service computes with {@code secretAccessKey} for this request. */
    public boolean verifies(Recorded request, String secretAccessKey) {
        String amzDate = request.header("X-Amz-Date");
        if (amzDate == null || !amzDate.startsWith(date)) {
            return false;
        }
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonicalRequest(request)));
        byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        return MessageDigest.isEqual(hex(hmac(key, stringToSign)).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }

    String canonicalRequest(Recorded request) {
        StringBuilder headers = new StringBuilder();
        for (String name : signedHeaders) {
            List<String> values = request.headers().getOrDefault(name, List.of());
            List<String> trimmed = new ArrayList<>();
            values.forEach(v -> trimmed.add(v.strip().replaceAll("\\s+", " ")));
            headers.append(name).append(':').append(String.join(",", trimmed)).append('\n');
        }
        // the body as it arrived; a client that sends x-amz-content-sha256 must have sent the same hash
        String payloadHash = hex(sha256(request.body()));
        return request.method() + "\n"
                + encode(request.rawPath(), true) + "\n" // non-S3 services: the (encoded) path is encoded once more
                + canonicalQuery(request.rawQuery()) + "\n"
                + headers + "\n"
                + String.join(";", signedHeaders) + "\n"
                + payloadHash;
    }

    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String part : rawQuery.split("&")) {
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            pairs.add(new String[]{encode(k, false), encode(v, false)});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        List<String> joined = new ArrayList<>();
        pairs.forEach(p -> joined.add(p[0] + "=" + p[1]));
        return String.join("&", joined);
    }

    /** RFC 3986: everything but {@code A-Z a-z 0-9 - _ . ~} percent-encoded (and {@code /} kept in paths). */
    private static String encode(String s, boolean keepSlashes) {
        String e = URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
        return keepSlashes ? e.replace("%2F", "/") : e;
    }

    private static byte[] sha256(String s) {
        return sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    public static String sha256Hex(byte[] bytes) {
        return hex(sha256(bytes));
    }
}
