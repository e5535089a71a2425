package dev.netmeta.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Round trip of the load's reading path: random records of every type of the data contract, with hostile but valid
 * values (separators, quotes and line breaks inside quoted CSV cells, Zeek's escapes, set separators, controls,
 * characters beyond the BMP, empty against unset, lines and records at the length limit), written as each producer
 * writes them, gzipped (often as several members split at random points), and loaded by {@link LoadService} — every
 * record must come out as the document that means what was generated (field by field, after the contract's
 * normalisation), or as the reject or skip the docs name.
 *
 * <p>Seeded: a failure names its seed; {@code -Dnetmeta.property.seed=<seed> -Dnetmeta.property.files=1} runs that
 * file alone.
 */
class ReadingPathRoundTripTest {

    private static final long SEED = Long.getLong("netmeta.property.seed", 20_261_127L);
    private static final int FILES = Integer.getInteger("netmeta.property.files", 40);

    enum Producer {
        CSV, ZEEK, NDJSON;

        GeneratedFile generate(ContractValues v, int records, boolean atLimit) {
            return switch (this) {
                case CSV -> CsvFileGenerator.generate(v, records, atLimit);
                case ZEEK -> ZeekFileGenerator.generate(v, records, atLimit);
                case NDJSON -> NdjsonFileGenerator.generate(v, records, atLimit);
            };
        }
    }

    @ParameterizedTest
    @EnumSource(Producer.class)
    void everyRecordWrittenByItsProducerIsLoadedWithTheMeaningItWasGeneratedWith(Producer producer) {
        for (int i = 0; i < FILES; i++) {
            long seed = SEED + i;
            ContractValues v = new ContractValues(new Random(seed));
            GeneratedFile file = producer.generate(v, v.random().nextInt(1, 40), v.chance(6));
            boolean gzip = v.chance(85);
            byte[] object = gzip ? file.gzipped(v) : file.plain();

            ReadingPath.Outcome out = ReadingPath.load(object);

            check("seed " + seed + " (" + producer + (gzip ? ", gzip" : ", plain") + ")", file, out);
        }
    }

    private static void check(String seed, GeneratedFile file, ReadingPath.Outcome out) {
        List<GeneratedFile.Expected> records = file.records();
        long documents = records.stream().filter(r -> !r.rejected() && !r.skipped()).count();
        long rejects = records.stream().filter(GeneratedFile.Expected::rejected).count();
        long skips = records.stream().filter(GeneratedFile.Expected::skipped).count();
        LoadReport report = out.report();
        for (int p = 0; p < records.size(); p++) {
            GeneratedFile.Expected expected = records.get(p);
            JsonNode document = out.documents().get((long) p);
            Reject reject = out.rejects().get((long) p);
            String mismatch = mismatch(expected, document, reject);
            if (mismatch != null) { // the message only now: a record of 16000 fields makes a long one
                fail(GeneratedFile.printable(seed + ", record " + p + ": expected " + expected + "; " + mismatch));
            }
        }
        assertThat(report.rowsRead()).as(seed + ": " + report).isEqualTo(records.size());
        assertThat(report.indexed()).as(seed + ": " + report).isEqualTo(documents);
        assertThat(report.rejected()).as(seed + ": " + report).isEqualTo(rejects);
        assertThat(report.skipped()).as(seed + ": " + report).isEqualTo(skips);
        assertThat(report.format()).as(seed).isEqualTo(file.format());
        assertThat(report.status()).as(seed + ": " + report).isEqualTo(documents == 0 && rejects > 0
                ? LoadReport.Status.FAILED : LoadReport.Status.SUCCEEDED);
        assertThat(out.documents()).as(seed).hasSize((int) documents);
    }

    /** What is wrong with the record's outcome, or null. */
    private static String mismatch(GeneratedFile.Expected expected, JsonNode document, Reject reject) {
        if (expected.rejected()) {
            return reject != null && reject.reason().contains(expected.rejectReason()) ? null
                    : "got " + (reject != null ? reject : "the document " + document);
        }
        if (reject != null) {
            return "rejected as " + reject;
        }
        if (expected.skipped()) {
            return document == null ? null : "indexed as " + document;
        }
        if (document == null) {
            return "no document";
        }
        if (!fieldNames(document).equals(new TreeSet<>(expected.fields().keySet()))) {
            return "the document " + document;
        }
        for (Map.Entry<String, Object> field : expected.fields().entrySet()) {
            JsonNode actual = document.get(field.getKey());
            if (!same(field.getValue(), actual)) {
                return "field " + field.getKey() + " is " + actual;
            }
        }
        return null;
    }

    private static TreeSet<String> fieldNames(JsonNode document) {
        TreeSet<String> names = new TreeSet<>();
        document.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Whether the indexed JSON value means the expected Java value (numbers by value, texts exactly). */
    static boolean same(Object expected, JsonNode actual) {
        if (actual == null) {
            return false;
        }
        if (expected instanceof Long || expected instanceof Integer) {
            return actual.isIntegralNumber() && actual.canConvertToLong()
                    && actual.longValue() == ((Number) expected).longValue();
        }
        if (expected instanceof Double d) {
            return actual.isNumber() && actual.doubleValue() == d;
        }
        if (expected instanceof String s) {
            return actual.isTextual() && actual.textValue().equals(s);
        }
        if (expected instanceof Boolean b) {
            return actual.isBoolean() && actual.booleanValue() == b;
        }
        if (expected instanceof List<?> list) {
            if (!actual.isArray() || actual.size() != list.size()) {
                return false;
            }
            Iterator<JsonNode> elements = actual.elements();
            for (Object e : list) {
                if (!same(e, elements.next())) {
                    return false;
                }
            }
            return true;
        }
        throw new IllegalArgumentException("no expectation of type " + expected.getClass());
    }
}
