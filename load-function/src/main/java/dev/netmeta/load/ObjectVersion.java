package dev.netmeta.load;

import java.util.Objects;

/**
 * One version of an S3 object as the loader tells them apart: its ETag (as S3 gives it, quoted) and its
 * last-modified time (epoch millis, 0 when S3 did not say). The time matters although the documents carry only the
 * ETag: a copy of the same content (an object copied onto itself to load it again) has the same ETag but a new time,
 * and records without a timestamp go to the daily index of that time.
 */
public record ObjectVersion(String eTag, long lastModifiedMillis) {

    /**
     * Whether this is the version {@code other} names; a time that is not known on either side is not compared. Two
     * versions without an ETag (a store that gives none) are told apart by their time only: "no ETag" must not
     * make a version differ from itself, or every continuation would find its object replaced and start over.
     */
    public boolean sameAs(ObjectVersion other) {
        return other != null && Objects.equals(eTag, other.eTag)
                && (lastModifiedMillis == 0 || other.lastModifiedMillis == 0
                        || lastModifiedMillis == other.lastModifiedMillis);
    }
}
