package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.parser.UnixFTPEntryParser;
import org.junit.jupiter.api.Test;

/** LIST lines are read in FTP_SERVER_TIMEZONE, the way {@link FtpConnector} configures every client. */
class FtpListingTimeZoneTest {

    private static Instant parse(String timeZone, String line) {
        Map<String, String> env = new HashMap<>(Map.of("FTP_HOST", "ftp.example.org", "FTP_USER", "u", "BUCKET", "b"));
        if (timeZone != null) {
            env.put("FTP_SERVER_TIMEZONE", timeZone);
        }
        UnixFTPEntryParser parser = new UnixFTPEntryParser();
        parser.configure(FtpConnector.listingConfig(SyncConfig.fromEnv(env)));
        FTPFile file = parser.parseFTPEntry(line);
        assertThat(file).as("parsed: %s", line).isNotNull();
        return file.getTimestamp().toInstant();
    }

    @Test
    void olderEntriesWithAYearAreMidnightInTheServersZone() {
        String line = "-rw-r--r--   1 ftp      ftp          1024 Jan 10  2018 a.csv.gz";
        assertThat(parse(null, line)).isEqualTo(Instant.parse("2018-01-10T00:00:00Z"));
        assertThat(parse("Europe/Berlin", line)).isEqualTo(Instant.parse("2018-01-09T23:00:00Z"));
        assertThat(parse("+05:30", line)).isEqualTo(Instant.parse("2018-01-09T18:30:00Z"));
    }

    /**
     * Every offset spelling {@link ZoneId} takes is read as that offset. commons-net takes a {@link java.util.TimeZone},
     * which knows only GMT-prefixed offsets and turned any other one into GMT without a word: UTC+2 (ZoneId's
     * UTC+02:00) read LIST times as UTC, two hours off, while MDTM answers were read in UTC+02:00.
     */
    @Test
    void everyOffsetSpellingIsReadAsThatOffset() {
        String line = "-rw-r--r--   1 ftp      ftp          1024 Jan 10  2018 a.csv.gz";
        for (String twoHoursAhead : new String[] {"+02:00", "UTC+2", "UTC+02:00", "GMT+2", "UT+02", "Etc/GMT-2"}) {
            assertThat(parse(twoHoursAhead, line)).as(twoHoursAhead).isEqualTo(Instant.parse("2018-01-09T22:00:00Z"));
        }
        assertThat(parse("UTC-05:30", line)).isEqualTo(Instant.parse("2018-01-10T05:30:00Z"));
        assertThat(parse("Z", line)).isEqualTo(Instant.parse("2018-01-10T00:00:00Z"));
    }

    @Test
    void recentEntriesWithATimeOfDayAreReadInTheServersZone() {
        ZoneId newYork = ZoneId.of("America/New_York");
        ZonedDateTime local = ZonedDateTime.now(newYork).minusDays(3).truncatedTo(ChronoUnit.MINUTES);
        String line = "-rw-r--r--   1 ftp      ftp          1024 "
                + local.format(DateTimeFormatter.ofPattern("MMM dd HH:mm", Locale.ENGLISH)) + " a.csv.gz";

        assertThat(parse("America/New_York", line)).isEqualTo(local.toInstant());
        // read as UTC the same line would be 4–5 hours off: the minimum-age rule would be wrong by that much
        assertThat(parse("UTC", line)).isEqualTo(local.toLocalDateTime().atZone(ZoneId.of("UTC")).toInstant());
    }

    @Test
    void aListedTimeCountsAsTheEndOfTheMinuteOrOfTheDayItShows() {
        UnixFTPEntryParser parser = new UnixFTPEntryParser();
        parser.configure(FtpConnector.listingConfig(SyncConfig.fromEnv(Map.of("FTP_HOST", "h", "FTP_USER", "u",
                "BUCKET", "b"))));
        // a time in the future (the writer's clock a few seconds ahead) or older than six months: ls shows the year
        FTPFile dateOnly = parser.parseFTPEntry("-rw-r--r--   1 ftp      ftp          1024 Jan 10  2018 a.csv.gz");
        assertThat(FtpRemoteFileSource.latestModification(dateOnly, false))
                .as("the whole day: midnight + 1 minute let a file written that day look hours old")
                .isEqualTo(Instant.parse("2018-01-11T00:00:00Z"));
        ZonedDateTime recent = ZonedDateTime.now(ZoneId.of("UTC")).minusDays(3).truncatedTo(ChronoUnit.MINUTES);
        FTPFile withTime = parser.parseFTPEntry("-rw-r--r--   1 ftp      ftp          1024 "
                + recent.format(DateTimeFormatter.ofPattern("MMM dd HH:mm", Locale.ENGLISH)) + " b.csv.gz");
        assertThat(FtpRemoteFileSource.latestModification(withTime, false)).isEqualTo(recent.toInstant().plusSeconds(60));
        assertThat(FtpRemoteFileSource.latestModification(withTime, true)).as("MLSD: exact").isEqualTo(recent.toInstant());
    }

    @Test
    void mdtmIsReadInTheServersZoneLikeItsListing() {
        assertThat(SizeAndMdtm.mdtm("20180509143021", java.time.ZoneOffset.UTC))
                .isEqualTo(Instant.parse("2018-05-09T14:30:21Z"));
        assertThat(SizeAndMdtm.mdtm("20180509143021.25", java.time.ZoneId.of("Europe/Berlin")))
                .as("vsftpd use_localtime: local time, like its LIST").isEqualTo(Instant.parse("2018-05-09T12:30:21.250Z"));
        assertThat(SizeAndMdtm.mdtm("213 20180509143021", java.time.ZoneOffset.UTC))
                .isEqualTo(Instant.parse("2018-05-09T14:30:21Z"));
        assertThat(SizeAndMdtm.mdtm("May 9 2018", java.time.ZoneOffset.UTC)).isNull();
        assertThat(SizeAndMdtm.mdtm(null, java.time.ZoneOffset.UTC)).isNull();
    }
}
