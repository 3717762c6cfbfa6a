using System;
using System.Threading;
using System.Threading.Tasks;

namespace PSNetLab.Servers.Tcp
{
    /// <summary>
    /// The seam between accepting a connection and serving it: the one place where the three
    /// concurrency models differ.
    ///
    /// Contract:
    /// - <see cref="DispatchAsync"/> is called by the accept loop only, one call at a time, with a
    ///   connection that is already admitted (AllowFrom and the limits passed, socket options set).
    /// - The accept loop awaits the returned task before it accepts the next connection. Iterative
    ///   completes it when the connection is over (the next client waits in the accept queue);
    ///   Thread completes it once the connection is started elsewhere; Process completes it once a
    ///   worker owns the socket (and may wait for a free worker: -WorkerCount bounds them).
    /// - From the call on, the dispatcher owns the connection: it must call
    ///   <see cref="AcceptedConnection.Finish"/> exactly once with a close reason, on every path,
    ///   including failures and server stop. The returned task must not fault for a connection's
    ///   own failure; a fault there means the dispatcher is broken and fails the server.
    /// - <paramref name="stopping"/> is cancelled when the server stops; the server also calls
    ///   <see cref="AcceptedConnection.Abort"/> on every unfinished connection, and then
    ///   <see cref="IDisposable.Dispose"/> on the dispatcher (end workers, release pools) - Dispose
    ///   must return within about a second.
    /// - Serving itself is <see cref="TcpConnectionLoop.ServeAsync"/> wherever it runs (a Process
    ///   worker runs the same loop on the socket it adopted, with its own observer).
    /// </summary>
    public interface IConnectionDispatcher : IDisposable
    {
        Task DispatchAsync(AcceptedConnection connection, CancellationToken stopping);
    }
}
