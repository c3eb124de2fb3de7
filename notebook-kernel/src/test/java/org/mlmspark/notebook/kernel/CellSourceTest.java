package org.mlmspark.notebook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CellSourceTest {
  @Test
  void aSemicolonEndsASnippetWhateverCommentsFollowIt() {
    assertTrue(CellSource.endsWithSemicolon("x + 1;"));
    assertTrue(CellSource.endsWithSemicolon("foo();  // done\n"));
    assertTrue(CellSource.endsWithSemicolon("foo(); /* done; */ \n// and more\n"));
    assertFalse(CellSource.endsWithSemicolon("x + 1"));
    assertFalse(CellSource.endsWithSemicolon("image // ;"));
    assertFalse(CellSource.endsWithSemicolon("image /* ; */"));
  }

  @Test
  void semicolonsInsideLiteralsDoNotCount() {
    assertFalse(CellSource.endsWithSemicolon("\"a;\""));
    assertFalse(CellSource.endsWithSemicolon("';'"));
    assertFalse(CellSource.endsWithSemicolon("\"\\\";\""));
    assertFalse(CellSource.endsWithSemicolon("\"\"\"\n  one;\n  \"\"\""));
    assertTrue(CellSource.endsWithSemicolon("String s = \"\"\"\n  one;\n  \"\"\";"));
  }

  @Test
  void linesAreCountedFromOne() {
    String cell = "int a = 1;\n\nint b =\n  2;";
    assertEquals(1, CellSource.lineAt(cell, 0));
    assertEquals(3, CellSource.lineAt(cell, cell.indexOf("int b")));
    assertEquals(4, CellSource.lineAt(cell, cell.indexOf("2;")));
    assertEquals("  2;", CellSource.line(cell, 4));
    assertEquals("", CellSource.line(cell, 2));
    assertEquals("", CellSource.line(cell, 9));
  }
}
