package dev.quire.persister;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

class SqlErrorsTest {

    @Test
    void dataExceptionsProgramLimitsAndNotNullViolationsAreDataErrors() {
        assertThat(SqlErrors.isDataError(new SQLException("invalid parameter value", "22023"))).isTrue();
        assertThat(SqlErrors.isDataError(new SQLException("invalid byte sequence for encoding", "22021"))).isTrue();
        assertThat(SqlErrors.isDataError(new SQLException("index row size 3032 exceeds btree version 4 maximum 2704", "54000")))
                .isTrue();
        assertThat(SqlErrors.isDataError(new SQLException("null value in column", "23502"))).isTrue();
    }

    @Test
    void aCheckViolationAConnectionFailureAndAnErrorWithoutStateAreOutages() {
        assertThat(SqlErrors.isDataError(new SQLException("violates check constraint \"outage_check\"", "23514"))).isFalse();
        assertThat(SqlErrors.isDataError(new SQLException("terminating connection due to administrator command", "57P01"))).isFalse();
        assertThat(SqlErrors.isDataError(new SQLTransientConnectionException("quire-pg - Connection is not available", "08001")))
                .isFalse();
        assertThat(SqlErrors.isDataError(new SQLException("no state"))).isFalse();
        assertThat(SqlErrors.isDataError(new IllegalStateException("cannot read consumed positions"))).isFalse();
    }

    @Test
    void theStateIsFoundInNextExceptionsAndCausesAndAnOutageAnywhereInTheChainWins() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT ... was aborted", null, 0, new int[0], null);
        batch.setNextException(new SQLException("ERROR: this row is refused", "22023"));
        assertThat(SqlErrors.sqlStates(batch)).containsExactly("22023");
        assertThat(SqlErrors.isDataError(batch)).isTrue();
        assertThat(SqlErrors.describe(batch)).isEqualTo("SQLSTATE 22023: ERROR: this row is refused");
        assertThat(SqlErrors.isDataError(new RuntimeException(new SQLException("x", "54000")))).isTrue();

        SQLException mixed = new SQLException("refused", "22023");
        mixed.setNextException(new SQLException("I/O error", "08006"));
        assertThat(SqlErrors.isDataError(mixed)).isFalse();
    }

    @Test
    void theSummaryForReadinessLeavesOutTheServersDetail() {
        PSQLException e = new PSQLException(new ServerErrorMessage(
                "SERROR\0C23514\0Mnew row for relation \"document_updates\" violates check constraint \"outage_check\"\0"
                + "DFailing row contains (0, 10, secret-doc).\0"));
        assertThat(SqlErrors.describe(e)).contains("secret-doc");
        assertThat(SqlErrors.summary(new IllegalStateException("cannot read", e)))
                .isEqualTo("SQLSTATE 23514: new row for relation \"document_updates\" violates check constraint \"outage_check\"");
        assertThat(SqlErrors.summary(new IllegalStateException("no SQL here"))).isEqualTo("java.lang.IllegalStateException: no SQL here");
    }

    @Test
    void describeKeepsOneLineAndCutsLongMessages() {
        assertThat(SqlErrors.describe(new SQLException("ERROR: refused\n  Where: PL/pgSQL function refuse_row() line 1 at RAISE", "22023")))
                .isEqualTo("SQLSTATE 22023: ERROR: refused Where: PL/pgSQL function refuse_row() line 1 at RAISE");
        String d = SqlErrors.describe(new SQLException("x".repeat(5000), "23502"));
        assertThat(d).startsWith("SQLSTATE 23502: xxx").endsWith("...").hasSize(SqlErrors.MAX_MESSAGE + 3);
    }
}
