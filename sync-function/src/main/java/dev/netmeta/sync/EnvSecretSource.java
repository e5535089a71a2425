package dev.netmeta.sync;

/** The password from the plain {@code FTP_PASSWORD} variable: accepted only for local runs (no parameter name set). */
public final class EnvSecretSource implements SecretSource {

    private final String password;

    public EnvSecretSource(String password) {
        this.password = SecretSource.withoutTrailingLineBreaks(password);
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public String toString() {
        return "EnvSecretSource[****]";
    }
}
