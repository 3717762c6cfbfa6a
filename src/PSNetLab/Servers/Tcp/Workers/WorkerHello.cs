namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>
    /// A worker's first message. The token is the secret the server gave only to the process it
    /// started (in its environment, never on the command line), so another local process that
    /// connects to the control endpoint first cannot pose as the worker and receive connections.
    /// </summary>
    public sealed class WorkerHello
    {
        public WorkerHello(string token, int processId)
        {
            Token = token;
            ProcessId = processId;
        }

        public string Token { get; }

        public int ProcessId { get; }

        public ControlFrame ToFrame()
        {
            using (var writer = new PayloadWriter())
            {
                return writer.Text(Token).Int(ProcessId).ToFrame(ControlMessageKind.Hello);
            }
        }

        public static WorkerHello From(ControlFrame frame) =>
            PayloadReader.Decode(frame, ControlMessageKind.Hello, r => new WorkerHello(r.Text() ?? string.Empty, r.Int()));
    }
}
