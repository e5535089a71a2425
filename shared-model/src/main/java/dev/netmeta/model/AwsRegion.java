package dev.netmeta.model;

import java.util.Map;

/**
 * The AWS region a function (and the local runner, for an external S3 endpoint) addresses and signs in — one rule
 * everywhere, without the SDK: {@code AWS_REGION}, trimmed, or {@link #DEFAULT} when it is unset or blank. Lambda
 * always sets it; the default is for local runs, where {@code AWS_REGION=} in a shell is as good as unset (the sync
 * read it with {@code getOrDefault} and stopped at init on the SDK's "region must not be blank or empty").
 */
public final class AwsRegion {

    public static final String VARIABLE = "AWS_REGION";
    public static final String DEFAULT = "us-east-1";

    private AwsRegion() {
    }

    public static String of(Map<String, String> env) {
        return of(Env.of(env));
    }

    public static String of(Env env) {
        return env.get(VARIABLE, DEFAULT);
    }
}
