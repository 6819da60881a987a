/** Ingest servers of the platforms people multistream to (the stream key is each account's own). */
export interface DestinationPreset {
  id: string;
  label: string;
  url: string;
  /** Where the platform shows the key, for the hint under the field. */
  keyHint: string;
}

export const DESTINATION_PRESETS: readonly DestinationPreset[] = [
  {
    id: 'youtube',
    label: 'YouTube',
    url: 'rtmps://a.rtmps.youtube.com:443/live2',
    keyHint: 'YouTube Studio → Go live → Stream key',
  },
  { id: 'twitch', label: 'Twitch', url: 'rtmp://live.twitch.tv/app', keyHint: 'Twitch dashboard → Settings → Stream' },
  {
    id: 'facebook',
    label: 'Facebook',
    url: 'rtmps://live-api-s.facebook.com:443/rtmp',
    keyHint: 'Live Producer → Streaming software → Stream key',
  },
  {
    id: 'kick',
    label: 'Kick',
    url: 'rtmps://fa723fc1b171.global-contribute.live-video.net:443/app',
    keyHint: 'Kick dashboard → Settings → Stream key',
  },
  {
    id: 'custom',
    label: 'Custom RTMP / RTMPS / SRT',
    url: '',
    keyHint: 'Leave empty when the URL already names the stream; {app} and {stream} are replaced',
  },
];
