package dev.netmeta.sync;

import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BooleanSupplier;

/** A test bucket that holds nothing: every key is absent. Implementations say what an upload does. */
interface EmptyBucketStore extends ObjectStore {

    @Override
    default KeySizes sizesOf(Set<String> keys, BooleanSupplier keepGoing) {
        return KeySizes.complete(Map.of());
    }

    @Override
    default OptionalLong sizeOf(String key) {
        return OptionalLong.empty();
    }
}
