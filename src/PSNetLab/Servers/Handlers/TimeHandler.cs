using System;
using PSNetLab.Text;

namespace PSNetLab.Servers.Handlers
{
    /// <summary>The seeds' time server: the message is a strftime format (empty: '%Y-%m-%d %X'), the reply the local time.</summary>
    public sealed class TimeHandler : SynchronousHandler
    {
        private readonly Func<DateTimeOffset> _clock;

        public TimeHandler(Func<DateTimeOffset>? clock = null)
        {
            _clock = clock ?? (() => DateTimeOffset.Now);
        }

        public override string Name => "Time";

        public override HandlerReply Handle(HandlerRequest request)
        {
            // A line-framed TCP client or `echo | ncat -u` adds a newline that is not part of the format.
            string format = request.Text.TrimEnd('\r', '\n');
            return HandlerReply.FromText(Strftime.Format(format, _clock()), request.Encoding);
        }
    }
}
