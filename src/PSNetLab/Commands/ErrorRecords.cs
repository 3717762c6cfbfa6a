using System.Management.Automation;
using PSNetLab.Errors;

namespace PSNetLab.Commands
{
    /// <summary>The one factory for PSNetLab's ErrorRecords, so ids and categories are mapped in one place.</summary>
    public static class ErrorRecords
    {
        public static ErrorRecord From(NetLabException e) =>
            new ErrorRecord(e, e.ErrorId, CategoryOf(e.Kind), e.Target);

        public static ErrorRecord Create(string errorId, NetLabErrorKind kind, string message, object? target = null) =>
            From(new NetLabException(errorId, kind, message, target));

        public static ErrorCategory CategoryOf(NetLabErrorKind kind)
        {
            switch (kind)
            {
                case NetLabErrorKind.InvalidArgument: return ErrorCategory.InvalidArgument;
                case NetLabErrorKind.InvalidData: return ErrorCategory.InvalidData;
                case NetLabErrorKind.ObjectNotFound: return ErrorCategory.ObjectNotFound;
                case NetLabErrorKind.ResourceUnavailable: return ErrorCategory.ResourceUnavailable;
                case NetLabErrorKind.ConnectionError: return ErrorCategory.ConnectionError;
                case NetLabErrorKind.OperationTimeout: return ErrorCategory.OperationTimeout;
                case NetLabErrorKind.PermissionDenied: return ErrorCategory.PermissionDenied;
                case NetLabErrorKind.NotImplemented: return ErrorCategory.NotImplemented;
                default: return ErrorCategory.InvalidOperation;
            }
        }
    }
}
