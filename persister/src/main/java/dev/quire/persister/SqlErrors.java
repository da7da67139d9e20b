package dev.quire.persister;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Tells an error PostgreSQL will give again for the same rows (a data error: the rows cannot be stored) from one
 * that says it is unavailable or misconfigured for now, by SQLSTATE. Retrying the first blocks every document for
 * ever; skipping rows for the second would lose them.
 */
final class SqlErrors {
    /** Longest message kept in a quarantine detail or a readiness reason. */
    static final int MAX_MESSAGE = 1000;

    private SqlErrors() {
    }

    /**
     * Whether {@code t} says that PostgreSQL refused what was written: SQLSTATE class 22 (data exception), 54
     * (program limit exceeded, e.g. an index row over 2,704 bytes) or 23502 (not null violation). Every SQLSTATE in
     * the chain (next exceptions, causes) must be one of those, so that a connection lost on the way is an outage.
     * Not 23514 (check violation): a CHECK constraint is something an operator adds, and removes again.
     */
    static boolean isDataError(Throwable t) {
        List<String> states = sqlStates(t);
        return !states.isEmpty() && states.stream().allMatch(SqlErrors::isDataState);
    }

    static boolean isDataState(String state) {
        return state.startsWith("22") || state.startsWith("54") || state.equals("23502");
    }

    /** The SQLSTATEs in the chain of {@code t}, outermost first (a batch's next exceptions before causes). */
    static List<String> sqlStates(Throwable t) {
        List<String> out = new ArrayList<>();
        for (Throwable e : chain(t)) {
            if (e instanceof SQLException s && s.getSQLState() != null && !out.contains(s.getSQLState())) {
                out.add(s.getSQLState());
            }
        }
        return out;
    }

    /**
     * "SQLSTATE 22023: message" of the innermost SQLException that has a state (the driver's own: a batch's outer
     * exception repeats the statement with its values), on one line, cut to {@link #MAX_MESSAGE}; {@code t} itself
     * when the chain has none.
     */
    static String describe(Throwable t) {
        SQLException e = innermost(t);
        return oneLine(e == null ? t.toString() : "SQLSTATE " + e.getSQLState() + ": " + e.getMessage());
    }

    /**
     * {@link #describe} with the server's primary message only: its Detail may show the failing row, which is no
     * business of a health check.
     */
    static String summary(Throwable t) {
        SQLException e = innermost(t);
        ServerErrorMessage server = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        if (server == null || server.getMessage() == null) {
            return describe(t);
        }
        return oneLine("SQLSTATE " + e.getSQLState() + ": " + server.getMessage());
    }

    private static SQLException innermost(Throwable t) {
        SQLException found = null;
        for (Throwable e : chain(t)) {
            if (e instanceof SQLException s && s.getSQLState() != null) {
                found = s;
            }
        }
        return found;
    }

    /** The server's message has its Detail and Where on lines of their own: one line for a log line or a column. */
    private static String oneLine(String text) {
        String line = text.replaceAll("\\s*\\p{Cntrl}+\\s*", " ").strip();
        return line.length() <= MAX_MESSAGE ? line : line.substring(0, MAX_MESSAGE) + "...";
    }

    private static List<Throwable> chain(Throwable t) {
        List<Throwable> out = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> todo = new ArrayDeque<>();
        todo.add(t);
        while (!todo.isEmpty()) {
            Throwable e = todo.poll();
            if (e == null || !seen.add(e)) {
                continue;
            }
            out.add(e);
            if (e instanceof SQLException s && s.getNextException() != null) {
                todo.add(s.getNextException());
            }
            if (e.getCause() != null) {
                todo.add(e.getCause());
            }
        }
        return out;
    }
}
