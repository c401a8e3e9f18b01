package org.aigcmark.stream;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.aigcmark.AigcmarkException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An {@link ObjectStore} over S3 (or any S3 API: MinIO, Ceph RGW, OSS and COS in S3 mode), through the AWS SDK for
 * Java v2. A reference is {@code s3://BUCKET/KEY}, or a bare {@code KEY} in the store's own bucket. References come
 * from events, so only the buckets the store was given are served, and a key must be a plain object name: no empty,
 * {@code .} or {@code ..} segment, no leading slash, no control character (S3 keys are opaque, but proxies and
 * gateways in front of S3 may normalise them into another key). Propagated copies go to the store's own bucket, each
 * in one PUT: S3 makes an object visible whole or not at all, so a reader never sees half a copy and a retried event
 * replaces the copy with the same bytes.
 */
public final class S3ObjectStore implements ObjectStore, AutoCloseable {
    private static final int MAX_KEY_BYTES = 1024; // S3's own limit on a key

    private final S3Client client;
    private final String bucket;
    private final Set<String> readable;

    /**
     * A store over {@code client}.
     *
     * @param client the S3 client (closed by {@link #close})
     * @param bucket the bucket bare keys name and propagated copies are written to
     * @param otherReadable further buckets events may name in {@code s3://} references (read only)
     */
    public S3ObjectStore(S3Client client, String bucket, List<String> otherReadable) {
        if (bucket == null || bucket.isBlank()) {
            throw AigcmarkException.invalid("aigcmark.s3.bucket must name the bucket");
        }
        this.client = client;
        this.bucket = bucket.strip();
        Set<String> r = new LinkedHashSet<>();
        r.add(this.bucket);
        for (String b : otherReadable) {
            if (!b.isBlank()) {
                r.add(b.strip());
            }
        }
        this.readable = Set.copyOf(r);
    }

    /**
     * A store configured from the application's settings: {@code aigcmark.s3.bucket} (required),
     * {@code aigcmark.s3.read-buckets} (comma-separated, optional), {@code aigcmark.s3.endpoint} (empty: AWS),
     * {@code aigcmark.s3.region} (empty: the SDK's region chain), {@code aigcmark.s3.path-style} ({@code true} for
     * most S3-compatible servers), and {@code aigcmark.s3.access-key} with {@code aigcmark.s3.secret-key} (empty: the
     * SDK's default credentials chain: environment, system properties, profile, web identity, container and
     * instance roles).
     *
     * @param props the application's properties
     * @return the store
     * @throws AigcmarkException {@code INVALID_ARGUMENT} for a missing bucket, a bad endpoint or half a key pair
     */
    public static S3ObjectStore fromSettings(Properties props) {
        String bucket = props.getProperty("aigcmark.s3.bucket", "").strip();
        if (bucket.isEmpty()) {
            throw AigcmarkException.invalid("aigcmark.object.store=s3 needs aigcmark.s3.bucket");
        }
        S3ClientBuilder b = S3Client.builder().httpClientBuilder(Apache5HttpClient.builder());
        String endpoint = props.getProperty("aigcmark.s3.endpoint", "").strip();
        if (!endpoint.isEmpty()) {
            try {
                URI uri = URI.create(endpoint);
                if (uri.getScheme() == null || uri.getHost() == null) {
                    throw new IllegalArgumentException("no scheme or host");
                }
                b.endpointOverride(uri);
            } catch (IllegalArgumentException e) {
                throw AigcmarkException.invalid("aigcmark.s3.endpoint " + endpoint + " is not a URL: " + e.getMessage());
            }
        }
        String region = props.getProperty("aigcmark.s3.region", "").strip();
        if (!region.isEmpty()) {
            b.region(Region.of(region));
        } else if (!endpoint.isEmpty()) {
            b.region(Region.US_EAST_1); // S3-compatible servers ignore it, but the SDK's signer needs one
        }
        b.forcePathStyle(Boolean.parseBoolean(props.getProperty("aigcmark.s3.path-style", "false").strip()));
        String access = props.getProperty("aigcmark.s3.access-key", "").strip();
        String secret = props.getProperty("aigcmark.s3.secret-key", "").strip();
        if (access.isEmpty() != secret.isEmpty()) {
            throw AigcmarkException.invalid("aigcmark.s3.access-key and aigcmark.s3.secret-key go together");
        }
        AwsCredentialsProvider credentials = access.isEmpty() ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(access, secret));
        b.credentialsProvider(credentials);
        List<String> others = new ArrayList<>();
        for (String s : props.getProperty("aigcmark.s3.read-buckets", "").split(",")) {
            others.add(s);
        }
        return new S3ObjectStore(b.build(), bucket, others);
    }

    /** @return the bucket bare keys name and propagated copies go to */
    public String bucket() {
        return bucket;
    }

    @Override
    public byte[] read(String ref, long maxBytes) {
        Location at = locate(ref, false);
        long limit = Math.min(Integer.MAX_VALUE - 8, maxBytes);
        // one GET: its Content-Length refuses an object over the limit before its body is read; the body is still read
        // only up to one byte past the limit, whatever the header said
        try (ResponseInputStream<GetObjectResponse> in = client.getObject(g -> g.bucket(at.bucket).key(at.key))) {
            Long length = in.response().contentLength();
            if (length != null && length > limit) {
                in.abort(); // do not drain a large body just to reuse the connection
                throw ObjectStore.tooLarge(ref, maxBytes);
            }
            byte[] bytes = readAtMost(in, limit + 1);
            if (bytes.length > limit) {
                in.abort();
                throw ObjectStore.tooLarge(ref, maxBytes);
            }
            return bytes;
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            throw unreadable(ref, "no such object");
        } catch (S3Exception e) {
            throw unreadable(ref, "S3 said " + e.statusCode() + " " + errorCode(e));
        } catch (SdkException | IOException e) {
            throw unreadable(ref, e.getMessage());
        }
    }

    @Override
    public String write(String ref, byte[] bytes) {
        Location at = locate(ref, true);
        try {
            client.putObject(p -> p.bucket(at.bucket).key(at.key).contentLength((long) bytes.length), RequestBody.fromBytes(bytes));
        } catch (S3Exception e) {
            throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE,
                    "object " + ref + ": S3 said " + e.statusCode() + " " + errorCode(e));
        } catch (SdkException e) {
            throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, "object " + ref + ": " + e.getMessage());
        }
        return "s3://" + at.bucket + "/" + at.key;
    }

    /** Closes the S3 client (its connection pool). */
    @Override
    public void close() {
        client.close();
    }

    private record Location(String bucket, String key) {
    }

    /** The bucket and key {@code ref} names, refused when the bucket is not this store's or the key not a plain name. */
    private Location locate(String ref, boolean forWrite) {
        if (ref == null || ref.isBlank()) {
            throw refused(String.valueOf(ref), "empty reference", forWrite);
        }
        String b;
        String key;
        if (ref.startsWith("s3://")) {
            int slash = ref.indexOf('/', 5);
            if (slash < 0) {
                throw refused(ref, "no key after the bucket", forWrite);
            }
            b = ref.substring(5, slash);
            key = ref.substring(slash + 1);
        } else if (ref.contains("://") || ref.startsWith("file:")) {
            throw refused(ref, "not an s3:// reference or a key", forWrite);
        } else {
            b = bucket;
            key = ref;
        }
        if (forWrite ? !b.equals(bucket) : !readable.contains(b)) {
            throw refused(ref, "bucket " + b + " is not one this store " + (forWrite ? "writes" : "serves"), forWrite);
        }
        if (key.isEmpty() || key.startsWith("/") || key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw refused(ref, "not an object key", forWrite);
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                throw refused(ref, "a control character or backslash in the key", forWrite);
            }
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw refused(ref, "an empty, . or .. segment in the key", forWrite);
            }
        }
        return new Location(b, key);
    }

    private static byte[] readAtMost(InputStream in, long n) throws IOException {
        return in.readNBytes((int) Math.min(n, Integer.MAX_VALUE - 8));
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null ? e.awsErrorDetails().errorCode() : "";
    }

    private static AigcmarkException refused(String ref, String why, boolean forWrite) {
        return forWrite ? new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, "object " + ref + ": " + why)
                : unreadable(ref, why);
    }

    private static AigcmarkException unreadable(String ref, String why) {
        return new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, "object " + ref + ": " + why);
    }
}
