package dev.netmeta.load;

/** Makes sure the index template exists before the first document is indexed. */
public interface IndexTemplates {

    void ensureInstalled();
}
