package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A copy-file path goes verbatim into FTP commands (MLST, LIST, RETR): CR or LF in it would end the command and
 * start another one (see SyncCopyFilePayloadIT), other control characters have no business in it either.
 */
class CopyFilePathControlCharsTest {

    @ParameterizedTest
    @ValueSource(strings = {"a.csv.gz\r\nDELE /export/b.csv.gz", "a.csv.gz\nDELE b.csv.gz", "a\r.csv.gz", "a\u0007.csv.gz",
        "d\u0085/a.csv.gz"})
    void controlCharactersInThePathAreRefused(String path) {
        Map<String, Object> detail = new HashMap<>();
        detail.put("path", path);
        detail.put("size", 10);
        detail.put("modified", "2018-05-09T14:00:00Z");
        assertThatThrownBy(() -> CopyFileRequest.from(CopyFileRequest.DETAIL_TYPE, detail))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("copy-file path");
    }
}
