package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which facts {@code OPTS MLST} selects, from the facts FEAT lists (RFC 3659: {@code *} = sent now). */
class MlstFactsTest {

    @Test
    void selectsTheNeededFactsTheServerListsWhenOneOfThemIsNotSentNow() {
        assertThat(MlstFacts.selection("size*;modify;type*;perm*;")).isEqualTo("type;size;modify;");
        assertThat(MlstFacts.selection("Type*;Size*;Modify;Perm*;Unique*;UNIX.mode*;"))
                .as("unique too: it recognises a directory reached again through a link").isEqualTo("type;size;modify;unique;");
        assertThat(MlstFacts.selection("modify*;type*;perm*;")).as("only facts the server lists").isNull();
        assertThat(MlstFacts.selection("size;type*;perm;")).isEqualTo("type;size;");
    }

    @Test
    void nothingToSelectWhenEveryNeededListedFactIsSentAlready() {
        assertThat(MlstFacts.selection("size*;modify*;type*;perm;media-type;")).isNull();
        assertThat(MlstFacts.selection("modify*;perm*;size*;type*;")).isNull();
        assertThat(MlstFacts.selection("perm;create")).as("none of the needed facts listed").isNull();
        assertThat(MlstFacts.selection("")).isNull();
        assertThat(MlstFacts.selection(null)).isNull();
    }

    @Test
    void aListWithoutAnyMarkIsSelected() {
        // MINA FtpServer: "MLST Size;Modify;Type;Perm" says nothing about what it sends now
        assertThat(MlstFacts.selection("Size;Modify;Type;Perm")).isEqualTo("type;size;modify;");
    }
}
