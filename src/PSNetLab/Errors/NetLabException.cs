using System;

namespace PSNetLab.Errors
{
    /// <summary>
    /// An engine failure that already knows the error id and kind a cmdlet should report, so the
    /// engine stays free of System.Management.Automation and every cmdlet reports it the same way.
    /// </summary>
    public sealed class NetLabException : Exception
    {
        public NetLabException(string errorId, NetLabErrorKind kind, string message, object? target = null, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Kind = kind;
            Target = target;
        }

        /// <summary>PascalCase id of the form &lt;Noun&gt;&lt;Condition&gt;, e.g. NetworkOrderValueTooLarge.</summary>
        public string ErrorId { get; }

        public NetLabErrorKind Kind { get; }

        public object? Target { get; }
    }

    /// <summary>The engine's view of an error category; Commands map it to ErrorCategory in one place.</summary>
    public enum NetLabErrorKind
    {
        InvalidArgument,
        InvalidData,
        ObjectNotFound,
        ResourceUnavailable,
        ConnectionError,
        OperationTimeout,
        PermissionDenied,
        NotImplemented,
        InvalidOperation,
    }
}
