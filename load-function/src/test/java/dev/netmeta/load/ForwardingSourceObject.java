package dev.netmeta.load;

import java.io.InputStream;

/** A {@link SourceObject} that hands every call to another one: tests override the one they change. */
class ForwardingSourceObject implements SourceObject {

    private final SourceObject inner;

    ForwardingSourceObject(SourceObject inner) {
        this.inner = inner;
    }

    @Override
    public InputStream stream() {
        return inner.stream();
    }

    @Override
    public String eTag() {
        return inner.eTag();
    }

    @Override
    public String versionId() {
        return inner.versionId();
    }

    @Override
    public long lastModifiedMillis() {
        return inner.lastModifiedMillis();
    }

    @Override
    public long size() {
        return inner.size();
    }

    @Override
    public java.io.IOException failure() {
        return inner.failure();
    }

    @Override
    public String verifyRest() throws java.io.IOException {
        return inner.verifyRest();
    }

    @Override
    public void close() {
        inner.close();
    }
}
