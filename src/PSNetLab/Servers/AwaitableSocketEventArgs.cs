using System;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace PSNetLab.Servers
{
    /// <summary>
    /// A reusable SocketAsyncEventArgs that can be awaited: one per receive loop, so receiving a
    /// message allocates no Task (netstandard2.0 has no ValueTask socket API).
    /// Use: <c>if (!socket.ReceiveFromAsync(args)) args.CompletedSynchronously(); int n = await args;</c>
    /// </summary>
    public sealed class AwaitableSocketEventArgs : SocketAsyncEventArgs, ICriticalNotifyCompletion
    {
        private static readonly Action Done = () => { };
        private Action? _continuation;

        public AwaitableSocketEventArgs GetAwaiter() => this;

        public bool IsCompleted => ReferenceEquals(Volatile.Read(ref _continuation), Done);

        /// <summary>Bytes transferred; a failed operation throws its SocketException here.</summary>
        public int GetResult()
        {
            _continuation = null;
            if (SocketError != SocketError.Success)
            {
                throw new SocketException((int)SocketError);
            }

            return BytesTransferred;
        }

        public void CompletedSynchronously() => _continuation = Done;

        public void OnCompleted(Action continuation)
        {
            if (ReferenceEquals(_continuation, Done) || ReferenceEquals(Interlocked.CompareExchange(ref _continuation, continuation, null), Done))
            {
                // Completed between IsCompleted and here: run the continuation without growing this stack.
                Task.Run(continuation);
            }
        }

        public void UnsafeOnCompleted(Action continuation) => OnCompleted(continuation);

        protected override void OnCompleted(SocketAsyncEventArgs e)
        {
            Action? continuation = Interlocked.Exchange(ref _continuation, Done);
            continuation?.Invoke();
        }
    }
}
