using System;
using System.Management.Automation.Host;
using System.Text;
using System.Threading;

namespace PSNetLab.Commands
{
    /// <summary>
    /// A full-duplex chat on the console from the pipeline thread alone: poll the socket and the
    /// keyboard in turn, so incoming lines print while the user types and no other thread touches
    /// the console. The half-typed line is moved out of the way and put back around each message.
    /// </summary>
    internal sealed class ChatConsole
    {
        private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(20);
        private readonly PSHostUserInterface _ui;
        private readonly StringBuilder _typed = new StringBuilder();

        public ChatConsole(PSHostUserInterface ui)
        {
            _ui = ui;
        }

        /// <param name="prompt">The prompt before the typed text.</param>
        /// <param name="receive">Waits up to the given time for one incoming line to print; null when none came.</param>
        /// <param name="send">Called with each line the user enters.</param>
        /// <param name="ended">Checked between slices; true ends the chat.</param>
        public void Run(Func<string> prompt, Func<TimeSpan, string?> receive, Action<string> send, Func<bool> ended, CancellationToken cancellation)
        {
            PSHostRawUserInterface raw = _ui.RawUI;
            _ui.Write(prompt());
            while (!ended() && !cancellation.IsCancellationRequested)
            {
                string? incoming = receive(Slice);
                if (incoming != null)
                {
                    _ui.Write("\r" + new string(' ', prompt().Length + _typed.Length) + "\r");
                    _ui.WriteLine(incoming);
                    if (ended())
                    {
                        return;
                    }

                    _ui.Write(prompt() + _typed);
                }

                while (!ended() && raw.KeyAvailable)
                {
                    KeyInfo key = raw.ReadKey(ReadKeyOptions.NoEcho | ReadKeyOptions.IncludeKeyDown);
                    if (key.Character == '\r' || key.Character == '\n')
                    {
                        _ui.WriteLine();
                        string line = _typed.ToString();
                        _typed.Clear();
                        send(line);
                        if (!ended())
                        {
                            _ui.Write(prompt());
                        }
                    }
                    else if (key.Character == '\b' && _typed.Length > 0)
                    {
                        _typed.Length--;
                        _ui.Write("\b \b");
                    }
                    else if (!char.IsControl(key.Character))
                    {
                        _typed.Append(key.Character);
                        _ui.Write(key.Character.ToString());
                    }
                }
            }
        }
    }
}
