package dev.netmeta.api.truth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A query of the ground truth: the text a user types into {@code q} and which documents it finds, decided as
 * docs/API.md describes Lucene's query-string syntax (and the api's promises about it), not by the api. Built by
 * {@link TruthQueryGenerator}, which decides every spelling when it builds a node, so {@link #text} is fixed.
 */
public interface TruthQuery {

    String text();

    boolean matches(Map<String, Object> doc);

    /**
     * The error code the api must refuse the query with (docs/API.md, *Errors*), or null: a query that finds documents
     * or none, but is no mistake.
     */
    default String refusal() {
        return null;
    }

    /** Every node of the query, this one first. */
    default void visit(Consumer<TruthQuery> visitor) {
        visitor.accept(this);
    }

    /** How a clause is joined to the one before it (tab, CR and LF are whitespace too: docs/API.md, *Length*). */
    enum Conj {
        NONE(" "), AND(" AND "), OR(" OR "), AND_SIGNS(" && "), OR_SIGNS(" || "), NONE_TAB("\t"), NONE_LINES(" \r\n"),
        AND_LINES("\nAND\t");

        final String text;

        Conj(String text) {
            this.text = text;
        }

        boolean isAnd() {
            return this == AND || this == AND_SIGNS || this == AND_LINES;
        }
    }

    /** The modifier before a clause. */
    enum Mod {
        NONE(""), PLUS("+"), MINUS("-"), NOT("NOT "), BANG("!");

        final String text;

        Mod(String text) {
            this.text = text;
        }

        boolean prohibits() {
            return this == MINUS || this == NOT || this == BANG;
        }
    }

    record Item(Conj conj, Mod mod, TruthQuery clause) {
    }

    /**
     * Clauses one after the other, as Lucene's classic query parser reads them with the default operator OR
     * (docs/API.md: {@code default_operator: or}, "a space means OR", "a b AND c is a OR b AND c, as AND binds the
     * clause before it"): {@code AND} makes the clause before it and its own required (unless prohibited), {@code +}
     * requires, {@code -}/{@code NOT}/{@code !} prohibits, the rest is optional. A query with required clauses needs
     * all of them, one with none needs one optional clause; one of prohibited clauses alone is every document without
     * them (as {@code NOT host:google.com} is).
     */
    final class Sequence implements TruthQuery {
        final List<Item> items;

        public Sequence(List<Item> items) {
            this.items = List.copyOf(items);
        }

        @Override
        public String text() {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < items.size(); i++) {
                Item item = items.get(i);
                if (i > 0) {
                    s.append(item.conj().text);
                }
                s.append(item.mod().text).append(item.clause().text());
            }
            return s.toString();
        }

        @Override
        public boolean matches(Map<String, Object> doc) {
            List<int[]> occurs = new ArrayList<>(); // 0 should, 1 must, 2 must not
            for (Item item : items) {
                if (!occurs.isEmpty() && item.conj().isAnd()) {
                    int[] last = occurs.get(occurs.size() - 1);
                    if (last[0] != 2) {
                        last[0] = 1;
                    }
                }
                boolean prohibited = item.mod().prohibits();
                boolean required = item.mod() == Mod.PLUS || (item.conj().isAnd() && !prohibited);
                occurs.add(new int[] {prohibited ? 2 : required ? 1 : 0});
            }
            boolean anyMust = false;
            boolean anyShould = false;
            boolean shouldMatched = false;
            for (int i = 0; i < items.size(); i++) {
                int occur = occurs.get(i)[0];
                boolean m = items.get(i).clause().matches(doc);
                if (occur == 1) {
                    anyMust = true;
                    if (!m) {
                        return false;
                    }
                } else if (occur == 2) {
                    if (m) {
                        return false;
                    }
                } else {
                    anyShould = true;
                    shouldMatched |= m;
                }
            }
            return anyMust || !anyShould || shouldMatched;
        }

        @Override
        public void visit(Consumer<TruthQuery> visitor) {
            visitor.accept(this);
            items.forEach(i -> i.clause().visit(visitor));
        }
    }

    /** {@code (…)}, or {@code field:(…)} when its clauses are values of one field; maybe boosted. */
    record Group(String field, Sequence inner, String boost) implements TruthQuery {
        @Override
        public String text() {
            return (field == null ? "" : field + ":") + "(" + inner.text() + ")" + boost;
        }

        @Override
        public boolean matches(Map<String, Object> doc) {
            return inner.matches(doc);
        }

        @Override
        public void visit(Consumer<TruthQuery> visitor) {
            visitor.accept(this);
            inner.visit(visitor);
        }
    }

    /**
     * One clause whose text and meaning the generator decided: a term, phrase, range, wildcard, … on a field (its text
     * without the field inside a field's group), or a term without a field, which may search several fields.
     */
    record Leaf(String text, Predicate<Map<String, Object>> test, String refusal, String kind) implements TruthQuery {
        @Override
        public boolean matches(Map<String, Object> doc) {
            return test.test(doc);
        }
    }
}
