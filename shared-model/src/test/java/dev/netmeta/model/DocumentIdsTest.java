package dev.netmeta.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class DocumentIdsTest {

    private static final String BUCKET = "metadata-sync-files";
    private static final String KEY = "2018-05-09-metadata.csv.gz";

    @Test
    void isDeterministic() {
        String id = DocumentIds.of(BUCKET, KEY, 42);
        assertThat(DocumentIds.of(BUCKET, KEY, 42)).isEqualTo(id);
        DocumentIds.of("other", "x", 1); // another object in between
        assertThat(DocumentIds.of(BUCKET, KEY, 42)).isEqualTo(id);
        assertThat(id).isEqualTo(DocumentIds.of(DocumentIds.objectPrefix(BUCKET, KEY), 42));
        assertThat(id).endsWith("-42");
    }

    @Test
    void isAStableFunctionOfBucketKeyAndPosition() {
        // pinned (computed independently with Python's hashlib): changing the rule would duplicate every
        // document on the next re-load of an already indexed object
        assertThat(DocumentIds.of(BUCKET, KEY, 7)).isEqualTo("fblv0OPtczWt-JhwjqN8pw-7");
        assertThat(DocumentIds.objectPrefix(BUCKET, KEY)).hasSize(22).matches("[A-Za-z0-9_-]+");
        assertThat(DocumentIds.of("b", "k", 0)).isEqualTo(DocumentIds.objectPrefix("b", "k") + "-0");
    }

    @Test
    void differsForEveryPositionKeyAndBucket() {
        Set<String> ids = new HashSet<>();
        for (int position = 0; position < 10_000; position++) {
            ids.add(DocumentIds.of(BUCKET, KEY, position));
        }
        for (int k = 0; k < 1_000; k++) {
            ids.add(DocumentIds.of(BUCKET, "raw/2018/05/file-" + k + ".csv.gz", 1));
            ids.add(DocumentIds.of("bucket-" + k, KEY, 1));
        }
        assertThat(ids).hasSize(12_000);
        assertThat(DocumentIds.of("a", "b/c", 0)).isNotEqualTo(DocumentIds.of("a/b", "c", 0));
        assertThat(DocumentIds.of("ab", "c", 0)).isNotEqualTo(DocumentIds.of("a", "bc", 0));
    }

    @Test
    void isUrlSafeAndWithinTheOpenSearchLimit() {
        String id = DocumentIds.of(BUCKET, "ü/".repeat(600) + "x.csv", Long.MAX_VALUE);
        assertThat(id).matches("[A-Za-z0-9_-]+");
        assertThat(id.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(512);
        assertThat(id).hasSize(22 + 1 + 19);
    }

    @Test
    void rejectsMissingObjectOrNegativePosition() {
        assertThatThrownBy(() -> DocumentIds.of(null, KEY, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DocumentIds.of(BUCKET, null, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DocumentIds.of(BUCKET, KEY, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void threadsLoadingDifferentObjectsGetTheirOwnIds() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String key = "file-" + t + ".csv";
                String prefix = DocumentIds.objectPrefix(BUCKET, key);
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        if (!DocumentIds.of(BUCKET, key, i).equals(prefix + "-" + i)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
