namespace PSNetLab.Servers
{
    public enum ServerProtocol
    {
        Udp,
        Tcp,
    }
}
