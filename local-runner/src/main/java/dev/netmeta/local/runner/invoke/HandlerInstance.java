package dev.netmeta.local.runner.invoke;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.Map;

/**
 * One initialised handler object — what a Lambda execution environment holds after its init phase — and the
 * serializers for its input and output types, chosen the way the Java runtime chooses them: the
 * {@code aws-lambda-java-events} types through {@link LambdaEventSerializers}, any other type through the runtime's
 * {@link JacksonFactory}. {@link RequestStreamHandler}s get the raw bytes.
 */
final class HandlerInstance {

    private final Object handler;
    private final Method method;
    private final PojoSerializer<Object> input;
    private final PojoSerializer<Object> output;

    private HandlerInstance(Object handler, Method method, PojoSerializer<Object> input, PojoSerializer<Object> output) {
        this.handler = handler;
        this.method = method;
        this.input = input;
        this.output = output;
    }

    /**
     * Loads the class named by the handler string and builds it through its public {@code Map<String,String>}
     * constructor (the function's own environment), like the project's handlers expect.
     */
    static HandlerInstance create(String className, String methodName, Map<String, String> env, ClassLoader loader)
            throws ReflectiveOperationException {
        Class<?> type = Class.forName(className, true, loader);
        return create(type, methodName, env, loader);
    }

    /**
     * Checks, without running anything, that the handler class exists and can be built and called the way the
     * runner calls it; the message says what is wrong.
     */
    static void check(String className, String methodName, ClassLoader loader) {
        Class<?> type;
        try {
            type = Class.forName(className, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("handler class " + className + " is not on the class path");
        }
        try {
            type.getConstructor(Map.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(className + " has no public constructor taking the environment "
                    + "(Map<String,String>), which the local runner uses to give each function its own environment");
        }
        if (!(RequestStreamHandler.class.isAssignableFrom(type) && "handleRequest".equals(methodName))) {
            try {
                findMethod(type, methodName);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(e.getMessage());
            }
        }
    }

    private static HandlerInstance create(Class<?> type, String methodName, Map<String, String> env, ClassLoader loader)
            throws ReflectiveOperationException {
        Object handler = construct(type, env);
        if (handler instanceof RequestStreamHandler && "handleRequest".equals(methodName)) {
            return new HandlerInstance(handler, null, null, null);
        }
        Method method = findMethod(type, methodName);
        method.setAccessible(true);
        Type[] params = method.getGenericParameterTypes();
        PojoSerializer<Object> in = params.length == 0 || params[0] == com.amazonaws.services.lambda.runtime.Context.class
                ? null : serializerFor(params[0], loader);
        PojoSerializer<Object> out = method.getReturnType() == void.class ? null : serializerFor(method.getGenericReturnType(), loader);
        return new HandlerInstance(handler, method, in, out);
    }

    private static Object construct(Class<?> type, Map<String, String> env) throws ReflectiveOperationException {
        try {
            Constructor<?> withEnv = type.getConstructor(Map.class);
            return withEnv.newInstance(env);
        } catch (InvocationTargetException e) {
            // the constructor's own exception — a setting it refuses names itself there; reflection's wrapper has no
            // message, so the console said only "Runtime.InitError: null"
            if (e.getCause() instanceof RuntimeException refused) {
                throw refused;
            }
            if (e.getCause() instanceof Error broken) {
                throw broken;
            }
            throw e;
        } catch (NoSuchMethodException e) {
            throw new NoSuchMethodException(type.getName() + " has no public constructor taking the environment "
                    + "(Map<String,String>); the local runner gives every function its own environment through it "
                    + "(docs/CONTRACTS.md)");
        }
    }

    private static Method findMethod(Class<?> type, String name) throws NoSuchMethodException {
        Method best = null;
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (!m.getName().equals(name) || m.isBridge() || m.isSynthetic() || !Modifier.isPublic(m.getModifiers())
                        || m.getParameterCount() > 2) {
                    continue;
                }
                if (best == null || m.getParameterCount() > best.getParameterCount()) {
                    best = m;
                }
            }
            if (best != null) {
                return best;
            }
        }
        throw new NoSuchMethodException(type.getName() + " has no public method '" + name + "'");
    }

    @SuppressWarnings("unchecked")
    private static PojoSerializer<Object> serializerFor(Type type, ClassLoader loader) {
        if (type instanceof Class<?> c && LambdaEventSerializers.isLambdaSupportedEvent(c.getName())) {
            return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(c, loader);
        }
        return JacksonFactory.getInstance().getSerializer(type);
    }

    /** Runs the handler once; exceptions thrown by the handler come out unwrapped. */
    byte[] invoke(byte[] payload, Context context) throws Throwable {
        if (method == null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ((RequestStreamHandler) handler).handleRequest(new ByteArrayInputStream(payload), out, context);
            return out.toByteArray();
        }
        Object[] args = switch (method.getParameterCount()) {
            case 0 -> new Object[0];
            case 1 -> new Object[]{input == null ? context : input.fromJson(new ByteArrayInputStream(payload))};
            default -> new Object[]{input.fromJson(new ByteArrayInputStream(payload)), context};
        };
        Object result;
        try {
            result = method.invoke(handler, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        if (output == null || result == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        output.toJson(result, out);
        return out.toByteArray();
    }

    void close() {
        if (handler instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // closing at shutdown is best effort
            }
        }
    }
}
