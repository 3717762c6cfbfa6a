using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Management.Automation;
using PSNetLab.Servers.Handlers;

namespace PSNetLab.Servers.Hosting
{
    /// <summary>
    /// Runs the handler for one request inside a lane's pipeline, on the lane's thread, and turns
    /// what happened into a reply or a failure. One per lane: it reuses its $_ variable.
    /// </summary>
    internal sealed class ScriptHandlerInvoker
    {
        private readonly bool _inPipeline;
        private readonly PSVariable _dollarUnder = new PSVariable("_");
        private readonly List<PSVariable> _variables = new List<PSVariable>(1);

        /// <param name="inPipeline">See <see cref="HandlerFlowControl"/>: the handler may break, continue or exit.</param>
        public ScriptHandlerInvoker(bool inPipeline)
        {
            _inPipeline = inPipeline;
        }

        /// <summary>Runs the handler for one request; true when the lane's pipeline was stopped under it.</summary>
        public bool Invoke(ScriptBlock handler, HandlerRequest request, PSDataStreams streams, out HandlerReply? reply, out Exception? failure)
        {
            reply = null;
            failure = null;
            try
            {
                Collection<PSObject> output = _inPipeline ? InvokeInPipeline(request, streams, out ErrorRecord? error) : InvokeDirectly(handler, request, streams, out error);
                if (error != null)
                {
                    // A non-terminating error (Write-Error, a failed cmdlet) fails the request, as it always did.
                    failure = new InvalidOperationException(error.ToString());
                }
                else
                {
                    reply = ScriptBlockHandler.ToReply(output, request.Encoding);
                }

                return false;
            }
            catch (PipelineStoppedException)
            {
                // Stopped for a timeout (then already failed) or for the server's stop.
                failure = new OperationCanceledException("the server stopped");
                return true;
            }
            catch (ExitException)
            {
                // Only from a direct call, and HandlerFlowControl sends scripts with exit to a pipeline: a safety net.
                reply = HandlerReply.None;
                return false;
            }
            catch (Exception e)
            {
                failure = e is RuntimeException runtime && runtime.ErrorRecord != null ? new InvalidOperationException(runtime.ErrorRecord.ToString(), e) : e;
                return false;
            }
            finally
            {
                streams.ClearStreams();
            }
        }

        /// <summary>The fast way: the handler's ScriptBlock called with $_ and its first argument set to the request.</summary>
        private Collection<PSObject> InvokeDirectly(ScriptBlock handler, HandlerRequest request, PSDataStreams streams, out ErrorRecord? error)
        {
            try
            {
                _dollarUnder.Value = request;
                _variables.Clear();
                _variables.Add(_dollarUnder);
                Collection<PSObject> output = handler.InvokeWithContext(null, _variables, request);
                error = streams.Error.Count > 0 ? streams.Error[0] : null;
                return output;
            }
            finally
            {
                _dollarUnder.Value = null;
            }
        }

        /// <summary>For handlers that may break, continue or exit: a nested pipeline on this thread keeps what they wrote.</summary>
        private static Collection<PSObject> InvokeInPipeline(HandlerRequest request, PSDataStreams streams, out ErrorRecord? error)
        {
            using (PowerShell nested = PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                nested.AddCommand(ScriptBlockHandler.RequestFunction);
                Collection<PSObject> output = nested.Invoke(new object[] { request });
                error = nested.Streams.Error.Count > 0 ? nested.Streams.Error[0] : streams.Error.Count > 0 ? streams.Error[0] : null;
                return output;
            }
        }
    }
}
