using System.Management.Automation.Language;

namespace PSNetLab.Servers.Hosting
{
    /// <summary>
    /// Whether a handler script can leave with break, continue or exit instead of finishing. In
    /// a pipeline such a handler simply ends, and what it wrote before is still the reply; a
    /// direct ScriptBlock call loses that output with the exception, so these scripts run in a
    /// (slower) pipeline of their own.
    /// </summary>
    internal static class HandlerFlowControl
    {
        public static bool CanLeaveEarly(string scriptText)
        {
            ScriptBlockAst script = Parser.ParseInput(scriptText, out _, out _);
            return script.Find(ast => ast is ExitStatementAst || Escapes(ast), searchNestedScriptBlocks: true) != null;
        }

        /// <summary>
        /// A break or continue with no loop or switch around it in its own script block. Ones in a
        /// nested script block (ForEach-Object { break }) count too: they look for a loop in their
        /// callers, so whether they leave the handler depends on the code around them.
        /// </summary>
        private static bool Escapes(Ast ast)
        {
            if (!(ast is BreakStatementAst || ast is ContinueStatementAst))
            {
                return false;
            }

            // A label may name no loop of this handler; count it as leaving.
            ExpressionAst? label = ast is BreakStatementAst b ? b.Label : ((ContinueStatementAst)ast).Label;
            if (label != null)
            {
                return true;
            }

            for (Ast? parent = ast.Parent; parent != null; parent = parent.Parent)
            {
                if (parent is LoopStatementAst || parent is SwitchStatementAst)
                {
                    return false;
                }

                if (parent is ScriptBlockAst)
                {
                    return true;
                }
            }

            return true;
        }
    }
}
