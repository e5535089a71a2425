package dev.netmeta.load.format;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Crafted inputs for the reader tests (and the load service's). */
public final class Inputs {

    private Inputs() {
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static RecordReader open(byte[] bytes) throws IOException {
        return RecordReaders.open(Decompression.open(new ByteArrayInputStream(bytes)));
    }

    static List<SourceRecord> readAll(byte[] bytes) throws IOException {
        try (RecordReader reader = open(bytes)) {
            List<SourceRecord> out = new ArrayList<>();
            SourceRecord r;
            while ((r = reader.next()) != null) {
                out.add(r);
            }
            return out;
        }
    }
}
